"""The content-hash cache under OUT/.cache: a stored result is reused only for identical inputs.

Keys are SHA-256 digests of everything a result depends on; ``environment()``
adds kzpublish's own files (its vendored fonts by size and mtime:
``package_digest``), every installed Python distribution and the Python version to each
key, so an upgrade or a local edit of the tool never serves an old result. Values are
JSON (``codec`` for model objects), never pickles: a planted cache file can at worst cause
a rebuild. Entries are written atomically and each kind keeps only its newest ``KEEP``
entries.

Every entry is checked before use: its header must name this schema, its own kind and
key, and the digest of the value's text that follows. A
truncated, hand-edited, copied or planted file is then a miss — the result is computed
again and the entry rewritten —, never an error and never published. (The digest guards
against damage and naive planting, not against someone who can run kzpublish's code
to forge one: such a person can edit the manuscript too.)

Key material names the project's files relative to the project (``relative``), and
so do the stored values (``Store(folder, project)``): a project moved or checked out
elsewhere with its build folder still hits, and its warnings name the files where they
are now.
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
_FONTS = Path("data", "styles", "fonts")


def digest(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each length-prefixed so ("ab", "c") differs from ("a", "bc")."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big"))
        sha.update(data)
    return sha.hexdigest()


def files(folder: Path) -> list[Path]:
    """Every file under ``folder``, sorted; none when it is missing. A link to a file counts
    as that file; a link to a folder is not entered (as ``Path.rglob`` did before 3.13)."""
    if not folder.is_dir():
        return []
    return sorted(map(Path, _walked(str(folder))))


def _walked(folder: str) -> list[str]:
    """``files`` as strings, unsorted: kzpublish's own folder is listed by every process
    (``environment``), so by ``os.walk`` — rglob went through each ``__pycache__`` to drop
    it after — and without ``Path`` objects, which were half of ``package_digest``."""
    found = []
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if name != "__pycache__"]  # not walked at all
        found += [path for name in names if name != "__pycache__"
                  and os.path.isfile(path := os.path.join(root, name))]
    return found


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
    return digest(_SCHEMA, sys.version, "\n".join(dists), package_digest(_PACKAGE))


def package_digest(folder: Path) -> str:
    """kzpublish's own files (``folder``): the code, templates and styles by their bytes, the
    vendored fonts (data/styles/fonts) by where they are, their size and mtime (ns).

    The fonts are nine tenths of the package's bytes: hashing them was ~10 ms of every
    process, a twentieth of an unchanged rebuild (issue 16). A font is replaced, never
    edited in place, and a replacement has another size — or, the same size, another mtime
    or place (a reproducible install clamps mtimes, but to a fresh folder). The code stays
    keyed by its bytes: a one-character fix keeps the size, and under a clamped mtime,
    the stat too. A font only copied (new mtime, same bytes) misses once: a key decides
    what is reused, never what an edition holds."""
    root = str(folder) + os.sep
    fonts = os.path.join(root, *_FONTS.parts) + os.sep
    parts: list[str | bytes] = [fonts]
    for path in sorted(_walked(root)):
        parts.append(path.removeprefix(root).replace(os.sep, "/"))
        if path.startswith(fonts):
            stat = os.stat(path)
            parts.append(f"\0stat {stat.st_size} {stat.st_mtime_ns}")
        else:
            with open(path, "rb") as file:
                parts.append(file.read())
    return digest(*parts)


class Store:
    """JSON values by (kind, key) in one folder; a disabled store finds and keeps nothing.

    A file is a header line — ``{"schema", "kind", "key", "digest"}`` — and the value's
    JSON, in which the paths inside ``project`` are written relative to it (see the
    module's docstring). The digest is of that text: checked before it is parsed."""

    def __init__(self, folder: Path | None, project: Path | None = None):
        self.folder = folder
        self.project = project

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under ``key``, or None (absent, unreadable, not an intact entry
        of this kind and key, or disabled)."""
        if self.folder is None:
            return None
        entry = self.folder / kind / f"{key}.json"
        try:
            header, _, body = entry.read_text(encoding="utf-8").partition("\n")
            if json.loads(header) != _header(kind, key, body):
                return None
            value = json.loads(self._placed(body))
        except (OSError, ValueError, RecursionError):
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)  # recently used: kept longest
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value`` under ``key``, then drop the oldest entries of ``kind``.

        A cache that cannot be written (a full disk, a read-only folder) keeps nothing:
        the build goes on, and reports the problem where it writes an edition."""
        if self.folder is None:
            return
        from .writers import atomic  # not at import: a Store that only reads (an unchanged
        # rebuild) then does without shutil and tempfile, a few ms of its 0.2 s
        body = self._portable(json.dumps(value, ensure_ascii=False, sort_keys=True))
        header = json.dumps(_header(kind, key, body), sort_keys=True)
        with contextlib.suppress(OSError):
            atomic.write_bytes(self.folder / kind / f"{key}.json",
                               f"{header}\n{body}".encode(), now=True)
            self._prune(self.folder / kind)

    def _spellings(self) -> tuple[str, str] | None:
        """How a path to the project starts in a value's JSON (``codec``'s ``~path``), and
        how it is stored."""
        if self.project is None:
            return None
        return f'"~path": {json.dumps(self.project.as_posix())[:-1]}', '"~path": "<project>'

    def _portable(self, body: str) -> str:
        spellings = self._spellings()
        return _swapped(body, *spellings) if spellings else body

    def _placed(self, body: str) -> str:
        spellings = self._spellings()
        return _swapped(body, *reversed(spellings)) if spellings else body

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


def _header(kind: str, key: str, body: str) -> dict[str, str]:
    return {"schema": _SCHEMA, "kind": kind, "key": key, "digest": digest(_SCHEMA, kind, key, body)}


def _swapped(body: str, old: str, new: str) -> str:
    """``old`` replaced by ``new`` where a whole path starts with it (a "/" or its end next)."""
    return body.replace(old + "/", new + "/").replace(old + '"', new + '"')


def sweep(folder: Path) -> None:
    """Remove the temp files a killed build left among the cache's entries."""
    from .writers import atomic
    if folder.is_dir():
        for kind in folder.iterdir():
            atomic.sweep(kind)
