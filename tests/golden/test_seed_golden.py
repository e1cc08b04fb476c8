"""Golden: the seed essay's in-text citations and reference list, as text.

tests/golden/seed/*.txt were reviewed line by line against
../shared/seed/000_0e80e706fab991b5.txt (see tests/golden/README.md for the
deliberate differences). Regenerate with ``pytest --update-golden`` and review
the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

from kzpublish.pipeline import resolve
from tests.conftest import REPO
from tests.textutil import citations_and_entries

GOLDEN = Path(__file__).parent / "seed"


def _compare(name: str, lines: list[str], update: bool) -> None:
    golden = GOLDEN / name
    if update:
        golden.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines == golden.read_text(encoding="utf-8").splitlines()


def test_seed_citations_and_bibliography(update_golden: bool) -> None:
    _, book = resolve(REPO)
    page = "<div>" + "".join(chapter.html for chapter in book.chapters) + "</div>"
    citations, entries = citations_and_entries(page)
    _compare("citations.txt", citations, update_golden)
    _compare("bibliography.txt", entries, update_golden)
    assert len(entries) == 19
