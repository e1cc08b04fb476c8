"""What an output folder holds, to compare before and after a build that must change nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kzpublish.cache import FOLDER


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under FOLDER (the cache aside: it is no edition) as its
    relative name → (SHA-256 of its bytes, or "dir"; its modification time in ns)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if name == FOLDER or name.startswith(FOLDER + "/"):
            continue
        content = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
        found[name] = (content, path.stat().st_mtime_ns)
    return found
