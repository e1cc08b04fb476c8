"""Images in a chapter: each must exist, and should say what it shows.

Checked where the Markdown is read, so a missing file or alt text is reported
at its FILE:LINE. Paths stay relative to manuscript/: the PDF resolves them
there, the HTML and EPUB writers copy the files under the same relative paths.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import Diagnostic, ManuscriptError, SourcePos, read_text

MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def _position(inline: Any, src: str, path: Path, lines: list[str]) -> SourcePos:
    first, last = inline.map or (0, len(lines))
    for number in range(first, min(last, len(lines))):
        column = lines[number].find(src)
        if column >= 0:
            return SourcePos(path, number + 1, column + 1)
    return SourcePos(path, first + 1, 1)


def check(tokens: list[Any], path: Path, manuscript: Path) -> tuple[list[str], list[Diagnostic]]:
    """The local images a chapter uses (relative to manuscript/), and warnings about them."""
    lines = read_text(path, ManuscriptError).splitlines()
    found, warnings, errors = [], [], []
    for inline in (t for t in tokens if t.type == "inline"):
        for image in (c for c in inline.children or [] if c.type == "image"):
            src = str(image.attrGet("src") or "")
            pos = _position(inline, src, path, lines)
            if not image.content.strip():
                warnings.append(Diagnostic(pos, f"image '{src}' has no alt text — say what it "
                                           f"shows: ![a short description]({src})", "warning"))
            if _REMOTE.match(src):
                errors.append(Diagnostic(pos, f"image '{src}' is not a local file — editions "
                                         "must work offline; download it into manuscript/"))
            elif Path(src).suffix.lower() not in MEDIA_TYPES:
                errors.append(Diagnostic(pos, f"image '{src}' is not a web image type — use "
                                         "PNG, JPEG, GIF, SVG or WebP"))
            elif not _inside(manuscript, src):
                errors.append(Diagnostic(pos, f"image '{src}' not found in {manuscript} — "
                                         "add the file or fix the path"))
            elif problem := _unreadable(manuscript / src):
                errors.append(Diagnostic(pos, f"image '{src}' {problem}"))
            else:
                found.append(src)
    if errors:
        raise ManuscriptError(errors)
    return found, warnings


def _inside(manuscript: Path, src: str) -> bool:
    target = (manuscript / src).resolve()
    return target.is_file() and target.is_relative_to(manuscript.resolve())


def _unreadable(path: Path) -> str | None:
    from .cover import unreadable  # Pillow's adapter, loaded only for a book with images
    return unreadable(path)
