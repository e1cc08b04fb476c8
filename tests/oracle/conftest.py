"""One Oracle per test session: citeproc-js starts rendering as soon as the session does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .harness import Oracle


@pytest.fixture(scope="session")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oracle]:
    found = Oracle(tmp_path_factory.mktemp("oracle"))
    yield found
    found.close()
