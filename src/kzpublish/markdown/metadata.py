"""A chapter's metadata — YAML blocks (``---`` … ``---``, at the top or after a blank
line) or a title block (``% Title``) at the top: never text.

Its ``title`` names a chapter that has no level-1 heading of its own; of several blocks,
the first to set a key wins, as in Pandoc. The book's metadata lives in book.toml, so any
other key, and a title the chapter's own heading overrides, is reported as unused rather
than silently ignored.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .. import yaml_text
from ..errors import Diagnostic, ManuscriptError, SourcePos

_KEY_LINE = re.compile(r"^([\w-]+)\s*:", re.M)


def read(tokens: list[Any], path: Path) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The metadata of a chapter's metadata blocks (empty without one), and warnings."""
    merged: dict[str, Any] = {}
    warnings: list[Diagnostic] = []
    for block in _blocks(tokens):
        data, unused = _read_block(block, path)
        merged = {**data, **merged}
        warnings += unused
    return merged, warnings


def _blocks(tokens: list[Any]) -> list[Any]:
    """A title block (only at the top), then the YAML blocks."""
    return [t for t in tokens[:1] if t.type == "title_block"] + \
        [t for t in tokens if t.type == "front_matter"]


def _content_line(block: Any) -> int:
    """The 1-based line where the block's text starts (after a YAML block's ``---``)."""
    return (block.map[0] if block.map else 0) + (1 if block.type == "title_block" else 2)


def _key_lines(block: Any) -> dict[str, int]:
    """Each key of a YAML block with its 1-based line (none for a title block)."""
    if block.type == "title_block":
        return {}
    first = _content_line(block)
    return {m[1]: block.content.count("\n", 0, m.start()) + first
            for m in _KEY_LINE.finditer(block.content)}


def _read_block(block: Any, path: Path) -> tuple[dict[str, Any], list[Diagnostic]]:
    first = _content_line(block)
    if block.type == "title_block":
        return dict(block.meta), _unused(block.meta, {}, path, first)
    data = block.meta.get("data") or yaml_text.load(block.content, path, ManuscriptError, first)
    return data, _unused(data, _key_lines(block), path, first - 1)


def _unused(data: dict[str, Any], lines: dict[str, int], path: Path,
            block_line: int) -> list[Diagnostic]:
    return [Diagnostic(SourcePos(path, lines.get(str(key), block_line), 1),
                       f"metadata '{key}' in a chapter is not used — book metadata "
                       "belongs in book.toml", "warning")
            for key in data if key != "title"]


def unused_title(tokens: list[Any], path: Path) -> list[Diagnostic]:
    """A warning at the ``title`` a chapter's block sets when its level-1 heading names it
    (the heading wins, as the chapter's title; pandoc would make the block's the book's)."""
    for block in _blocks(tokens):
        lines = _key_lines(block)
        if "title" in block.meta or "title" in lines:
            line = lines.get("title", _content_line(block))
            return [Diagnostic(SourcePos(path, line, 1), "metadata 'title' is not used: the "
                               "chapter's own heading names it — the book's title belongs in "
                               "book.toml; remove it here", "warning")]
    return []


def title(data: dict[str, Any]) -> str:
    """The chapter title the block gives, as plain text ('' when none)."""
    value = data.get("title")
    return " ".join(str(value).split()) if value is not None else ""
