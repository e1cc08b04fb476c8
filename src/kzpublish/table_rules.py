"""Pandoc's simple, multiline and grid tables and table captions as markdown-it rules.

Free of markdown-it imports (``reader`` is its adapter, and calls ``use``): the block
rule hands a table's lines to ``table_layout`` and pushes the tokens markdown-it's own
pipe tables are made of (``table_open`` … ``td_close``), each cell an ``inline`` token
(or, in grid tables, block tokens), so the one renderer, the citation walk and the
caption rule serve all four kinds. Alignment and widths are written as pandoc writes
them (``style="text-align: right;"``, ``<colgroup><col style="width: 16%" />``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, overload

from . import table_layout
from .errors import Diagnostic, SourcePos

_WARNINGS = "kz_table_warnings"
_WARNED_UNTIL = "kz_table_warned_until"  # the rule is asked again inside a broken table
# Pandoc's caption: a paragraph opening with "Table:", "table:" or a ":" before no punctuation.
_CAPTION = re.compile(r"[Tt]able:|:(?![!-/:-@\[-`{-~])")
_CAPTION_ATTRS = re.compile(r"\s*\{(?P<attrs>\s*[#.][^{}]*)\}\s*$")
_ATTR = re.compile(r"[#.][\w:.-]+|[\w-]+=(?:\"[^\"]*\"|\S*)")


def use(md: Any) -> None:
    """Add the table block rule (after pipe tables, as pandoc tries them) and captions."""
    md.block.ruler.after("table", "pandoc_table", table_block)
    md.core.ruler.after("block", "pipe_table_widths", pipe_widths)
    md.core.ruler.after("pipe_table_widths", "table_captions", captions)


def warnings(env: dict[str, Any], path: Path) -> list[Diagnostic]:
    """The chapter's malformed tables, as warnings at their lines."""
    return [Diagnostic(SourcePos(path, line + 1, 1), message, "warning")
            for line, message in env.get(_WARNINGS, [])]


class _Lines(Sequence[str]):
    """The source lines from a block's start, relative to its container, read on demand."""

    def __init__(self, state: Any, start: int, end: int):
        self.state, self.start, self.end = state, start, end

    def __len__(self) -> int:
        return self.end - self.start

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not 0 <= index < len(self):
            raise IndexError(index)
        state, line = self.state, self.start + index
        indent = state.sCount[line] - state.blkIndent
        text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
        if indent < 0 and text.strip():
            return ""  # a line outside the block's container ends the table
        return " " * max(indent, 0) + text.expandtabs(4)


def _opens_like_one(state: Any, start: int, end: int) -> bool:
    """The cheapest look, at the raw lines, before ``_may_start``'s at the block's: a
    table's first line opens with "+" or "-", or its second with "-" (every paragraph of a
    book is asked this: building its lines was a few per cent of reading a chapter)."""
    return _first_char(state, start) in ("+", "-") or (
        start + 1 < end and _first_char(state, start + 1) == "-")


def _first_char(state: Any, line: int) -> str:
    """The line's first character as ``_Lines`` strips it (any Unicode space, not only the
    spaces and tabs markdown-it skips)."""
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]].lstrip()[:1]


def _may_start(lines: _Lines) -> bool:
    """A cheap first look, since the rule is asked at every block's start."""
    first = lines[0].lstrip()
    return first.startswith("+") or (first.startswith("-") and table_layout.is_dashed(lines[0])) \
        or (len(lines) > 1 and table_layout.is_dashed(lines[1]))


def table_block(state: Any, start: int, end: int, silent: bool) -> bool:
    """The block rule: a simple, multiline or grid table starting at line START."""
    # No check for a code block's indent: a simple table's header line may have any (as in
    # pandoc, whose tables come before indented code); the dashed lines and rules may not.
    if start < state.env.get(_WARNED_UNTIL, 0):
        return False
    if not _opens_like_one(state, start, end):
        return False
    lines = _Lines(state, start, end)
    if not _may_start(lines):
        return False
    try:
        layout = table_layout.read(lines)
    except table_layout.Malformed as problem:
        state.env.setdefault(_WARNINGS, []).append((start + problem.line, str(problem)))
        state.env[_WARNED_UNTIL] = start + problem.line + 1  # one warning per table
        return False
    if layout is None:
        return False
    if not silent:
        _push_table(state, layout, start)
        state.env.setdefault(_WARNINGS, []).extend(
            (start + line, message) for line, message in layout.problems)
    state.line = start + layout.length
    return True


def _push_table(state: Any, layout: table_layout.Layout, start: int) -> None:
    opening = state.push("table_open", "table", 1)
    opening.map = [start, start + layout.length]
    opening.meta["pandoc"] = True  # not one of markdown-it's pipe tables
    if layout.widths:
        _push_widths(state, opening, layout.widths)
    if layout.header:
        state.push("thead_open", "thead", 1)
        _push_row(state, layout, layout.header, "th", start)
        state.push("thead_close", "thead", -1)
    state.push("tbody_open", "tbody", 1)
    for row in layout.rows:
        _push_row(state, layout, row, "td", start)
    state.push("tbody_close", "tbody", -1)
    state.push("table_close", "table", -1)


def _push_widths(state: Any, opening: Any, widths: tuple[float, ...]) -> None:
    state.tokens.extend(_colgroup(type(opening), opening, widths))


def _colgroup(token: Any, table: Any, widths: tuple[float, ...]) -> list[Any]:
    """Pandoc's relative widths: a table narrower than the text says so; cols truncated."""
    total = sum(widths)
    if total < 0.999:
        table.attrSet("style", f"width:{round(total * 100)}%;")  # half to even, as pandoc
    cols = [token("col", "col", 0, attrs={"style": f"width: {int(width * 100)}%"})
            for width in widths]
    return [token("colgroup_open", "colgroup", 1), *cols, token("colgroup_close", "colgroup", -1)]


def pipe_widths(state: Any) -> None:
    """Pipe tables with a line wider than pandoc's 72 columns: widths by their dashes.

    (Pandoc's manual: such a table takes the full text width, each column the share of
    the dashes of the line under its header.)
    """
    lines: list[str] = []
    for index, token in enumerate(state.tokens):
        if token.type != "table_open" or token.meta.get("pandoc") or not token.map:
            continue
        lines = lines or state.src.split("\n")
        first, last = token.map
        if max(len(line.rstrip()) for line in lines[first:last]) <= table_layout.COLUMNS:
            continue
        dashes = [len(part.strip()) for part in
                  lines[first + 1].strip().strip(">").strip().strip("|").split("|")]
        total = sum(dashes) or 1
        widths = tuple(count / total for count in dashes)
        state.tokens[index + 1:index + 1] = _colgroup(type(token), token, widths)


def _push_row(state: Any, layout: table_layout.Layout, row: tuple[table_layout.Cell, ...],
              tag: str, start: int) -> None:
    state.push("tr_open", "tr", 1)
    for cell, align in zip(row, layout.aligns, strict=True):
        opening = state.push(f"{tag}_open", tag, 1)
        if align:
            opening.attrSet("style", f"text-align: {align};")
        line = start + cell.line
        if layout.blocks:
            _push_blocks(state, cell.text, line)
        else:
            inline = state.push("inline", "", 0)
            inline.content = cell.text
            inline.map = [line, line + cell.text.count("\n") + 1]
            inline.children = []
        state.push(f"{tag}_close", tag, -1)
    state.push("tr_close", "tr", -1)


def _push_blocks(state: Any, text: str, line: int) -> None:
    """A grid cell's Markdown as blocks; a lone paragraph loses its <p>, as in pandoc."""
    first = len(state.tokens)
    state.md.block.parse(text, state.md, state.env, state.tokens)
    added = state.tokens[first:]
    for token in added:
        if token.map:
            token.map = [token.map[0] + line, token.map[1] + line]
    if len(added) == 3 and added[0].type == "paragraph_open":
        added[0].hidden = added[2].hidden = True


def captions(state: Any) -> None:
    """Move each table's caption paragraph into it: the one before, else the one after."""
    tokens = state.tokens
    index = 0
    while index < len(tokens):
        if tokens[index].type == "table_open":
            index = _caption_table(tokens, index)
        index += 1


def _caption_table(tokens: list[Any], index: int) -> int:
    """Caption the table opening at INDEX; its (possibly moved) index."""
    before = index - 3
    if before >= 0 and _is_caption(tokens, before):
        paragraph = tokens[before:index]
        del tokens[before:index]
        index = before
    else:
        after = _table_close(tokens, index) + 1
        if not (after < len(tokens) and _is_caption(tokens, after)):
            return index
        paragraph = tokens[after:after + 3]
        del tokens[after:after + 3]
    _insert_caption(tokens, index, paragraph)
    return index


def _table_close(tokens: list[Any], index: int) -> int:
    depth = 0
    for position in range(index, len(tokens)):
        depth += {"table_open": 1, "table_close": -1}.get(tokens[position].type, 0)
        if depth == 0:
            return position
    return len(tokens) - 1


def _is_caption(tokens: list[Any], index: int) -> bool:
    opening = tokens[index]
    return (opening.type == "paragraph_open" and not opening.hidden
            and index + 2 < len(tokens) and tokens[index + 2].type == "paragraph_close"
            and _CAPTION.match(tokens[index + 1].content) is not None)


def _insert_caption(tokens: list[Any], index: int, paragraph: list[Any]) -> None:
    """PARAGRAPH's text, less "Table:" and its ``{#tbl:x}``, as the caption of the table."""
    opening, inline, closing = paragraph
    inline.content = _CAPTION.sub("", inline.content, count=1).strip()
    attrs = _CAPTION_ATTRS.search(inline.content)
    if attrs and " ".join(_ATTR.findall(attrs["attrs"])) == " ".join(attrs["attrs"].split()):
        inline.content = inline.content[:attrs.start()]
        _set_attrs(tokens[index], _ATTR.findall(attrs["attrs"]))
    opening.type, opening.tag = "caption_open", "caption"
    closing.type, closing.tag = "caption_close", "caption"
    tokens[index + 1:index + 1] = [opening, inline, closing]


def _set_attrs(table: Any, attrs: list[str]) -> None:
    """``#id`` → the table's id (cross-references number it), ``.class`` → its classes."""
    classes = [attr[1:] for attr in attrs if attr.startswith(".")]
    for attr in attrs:
        if attr.startswith("#"):
            table.attrSet("id", attr[1:])
    if classes:
        table.attrSet("class", " ".join(classes))
