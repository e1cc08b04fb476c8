"""An environment variable set for the length of a call, then put back as it was.

The release stamps editions through SOURCE_DATE_EPOCH and the CLI's ``--untrusted`` sets
KZPUBLISH_UNTRUSTED: both are read deep in the build, and both callers (tests among them
call ``main`` and ``release`` in process) must leave the environment as they found it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def setting(name: str, value: str) -> Iterator[None]:
    """NAME=VALUE in os.environ meanwhile; afterwards its old value, or none."""
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old
