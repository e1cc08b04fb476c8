"""The content-hash cache under OUT/.cache: a stored result is reused only for identical inputs.

Keys are SHA-256 digests of everything a result depends on; ``environment()``
adds kzpublish's own files, every installed Python distribution and the
Python version to each key, so an upgrade or a local edit of the tool never
serves an old result. Values are JSON (``codec`` for model objects), never
pickles: a planted cache file can at worst cause a rebuild. Entries are
written atomically and each kind keeps only its newest ``KEEP`` entries.
Not covered: system libraries (Pango, ICU) — after upgrading those, build
with ``--no-cache`` or delete the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

FOLDER = ".cache"
KEEP = 32
_PACKAGE = Path(__file__).parent
_SCHEMA = "kzpublish-cache-1"


def digest(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each length-prefixed so ("ab", "c") differs from ("a", "bc")."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big"))
        sha.update(data)
    return sha.hexdigest()


def files(folder: Path) -> list[Path]:
    """Every file under ``folder`` (symlinks followed), sorted; none when it is missing."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*")
                  if path.is_file() and "__pycache__" not in path.parts)


def files_digest(paths: Iterable[Path], root: Path | None = None) -> str:
    """The names and bytes of ``paths`` (names relative to ``root`` when given)."""
    parts: list[str | bytes] = []
    for path in paths:
        name = path.relative_to(root) if root else path
        parts += [name.as_posix(), path.read_bytes() if path.is_file() else b"\0missing"]
    return digest(*parts)


def tree_digest(folder: Path) -> str:
    """A folder's content: relative names and bytes of all its files."""
    return files_digest(files(folder), folder)


@cache
def environment() -> str:
    """What every result depends on besides its inputs: this code and the installed packages.

    Computed once per process, which is right: code changed on disk after
    start-up is not the code that runs.
    """
    dists = sorted(entry.name for folder in sys.path if os.path.isdir(folder)
                   for entry in os.scandir(folder)
                   if entry.name.endswith((".dist-info", ".egg-info")))
    return digest(_SCHEMA, sys.version, "\n".join(dists), tree_digest(_PACKAGE))


class Store:
    """JSON values by (kind, key) in one folder; a disabled store finds and keeps nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under ``key``, or None (absent, unreadable or disabled)."""
        if self.folder is None:
            return None
        entry = self.folder / kind / f"{key}.json"
        try:
            value = json.loads(entry.read_text(encoding="utf-8"))
            os.utime(entry)  # recently used: kept longest
        except (OSError, ValueError):
            return None
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value`` under ``key``, then drop the oldest entries of ``kind``."""
        if self.folder is None:
            return
        from .writers import atomic  # not at import: a Store that only reads (an unchanged
        # rebuild) then does without shutil and tempfile, a few ms of its 0.2 s
        data = json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")
        atomic.write_bytes(self.folder / kind / f"{key}.json", data)
        self._prune(self.folder / kind)

    @staticmethod
    def _prune(folder: Path) -> None:
        def age(path: Path) -> float:
            try:
                return path.stat().st_mtime
            except OSError:
                return 0.0
        entries = sorted(folder.glob("*.json"), key=age, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
