"""The content-hash cache under OUT/.cache: a stored result is reused only for identical inputs.

Keys are SHA-256 digests of everything a result depends on; ``environment()``
adds kzpublish's own files, every installed Python distribution and the
Python version to each key, so an upgrade or a local edit of the tool never
serves an old result. Values are JSON (``codec`` for model objects), never
pickles: a planted cache file can at worst cause a rebuild. Entries are
written atomically and each kind keeps only its newest ``KEEP`` entries.

Every entry is checked before use: it must be ``{"schema", "kind", "key", "digest",
"value"}`` with this schema, its own kind and key, and the digest of its value. A
truncated, hand-edited, copied or planted file is then a miss — the result is computed
again and the entry rewritten —, never an error and never published. (The digest guards
against damage and naive planting, not against someone who can run kzpublish's code
to forge one: such a person can edit the manuscript too.)

Key material names the project's files relative to the project (``relative``): a
project moved or checked out elsewhere with its build folder still hits.
Not covered: system libraries (Pango, ICU) — after upgrading those, build
with ``--no-cache`` or delete the folder.
"""

from __future__ import annotations

import contextlib
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
_SCHEMA = "kzpublish-cache-2"


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
    """The names and bytes of ``paths`` (names relative to ``root`` when given and inside)."""
    parts: list[str | bytes] = []
    for path in paths:
        name = path.relative_to(root) if root and path.is_relative_to(root) else path
        parts += [name.as_posix(), path.read_bytes() if path.is_file() else b"\0missing"]
    return digest(*parts)


def relative(text: str, root: Path) -> str:
    """Key material (a repr) with the project folder's paths written relative to it, so a
    key does not change when the project moves. ``root`` as the build was given it."""
    return text.replace(f"PosixPath('{root.as_posix()}/", "PosixPath('<project>/").replace(
        f"PosixPath('{root.as_posix()}')", "PosixPath('<project>')")


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
        """The value stored under ``key``, or None (absent, unreadable, not an intact entry
        of this kind and key, or disabled)."""
        if self.folder is None:
            return None
        entry = self.folder / kind / f"{key}.json"
        try:
            stored = json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if not _intact(stored, kind, key):
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)  # recently used: kept longest
        return stored["value"]

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value`` under ``key``, then drop the oldest entries of ``kind``.

        A cache that cannot be written (a full disk, a read-only folder) keeps nothing:
        the build goes on, and reports the problem where it writes an edition."""
        if self.folder is None:
            return
        from .writers import atomic  # not at import: a Store that only reads (an unchanged
        # rebuild) then does without shutil and tempfile, a few ms of its 0.2 s
        entry = {"schema": _SCHEMA, "kind": kind, "key": key,
                 "digest": _value_digest(kind, key, value), "value": value}
        data = json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8")
        with contextlib.suppress(OSError):
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


def _value_digest(kind: str, key: str, value: Any) -> str:
    return digest(_SCHEMA, kind, key, json.dumps(value, ensure_ascii=False, sort_keys=True))


def _intact(stored: Any, kind: str, key: str) -> bool:
    """Whether a cache file holds what ``Store.put`` wrote for this kind and key."""
    return (isinstance(stored, dict)
            and set(stored) == {"schema", "kind", "key", "digest", "value"}
            and stored["schema"] == _SCHEMA and stored["kind"] == kind
            and stored["key"] == key
            and stored["digest"] == _value_digest(kind, key, stored["value"]))


def sweep(folder: Path) -> None:
    """Remove the temp files a killed build left among the cache's entries."""
    from .writers import atomic
    if folder.is_dir():
        for kind in folder.iterdir():
            atomic.sweep(kind)
