"""Pandoc's simple, multiline and grid tables: lines of Markdown → a ``Layout`` of cells.

Pandoc's manual ("Tables") is the spec; where it is silent, what pandoc writes is
(``tests/pandoc_oracle.py`` runs it). Free of markdown-it: ``table_rules`` hands the
lines in, gets columns, alignments, relative widths and cells with their source lines
back, and turns them into tokens, so the text geometry can be tested on its own.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

# Widths are fractions of pandoc's default --columns, or of the table when it is wider.
COLUMNS = 72
_DASHED = re.compile(r" {0,3}-+(?: +-+)* *")
_GRID_RULE = re.compile(r" {0,3}\+(?:[-=:]+\+)+ *")
_HEADER_SEPARATOR = re.compile(r" {0,3}\+(?::?=+:?\+)+ *")
_PLAIN = ""


@dataclass(frozen=True)
class Cell:
    """One cell: its Markdown source and the index of its first line in the table's lines."""

    text: str
    line: int


@dataclass(frozen=True)
class Layout:
    """A table as pandoc reads it, before any Markdown inside the cells is parsed."""

    aligns: tuple[str, ...]  # per column: "left", "right", "center" or "" (default)
    widths: tuple[float, ...]  # per column, fraction of the text width; () = automatic
    header: tuple[Cell, ...]  # () when the table has no header row
    rows: tuple[tuple[Cell, ...], ...]
    blocks: bool  # cells hold block Markdown (grid tables) rather than one inline run
    length: int  # how many lines the table takes
    problems: tuple[tuple[int, str], ...] = ()  # (line index, message): read, but warn


class Malformed(ValueError):
    """Lines that are plainly meant as a table but break its rules (the text stays)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line


def read(lines: Sequence[str]) -> Layout | None:
    """The table LINES start with, in pandoc's order of trying; None if they start none.

    (Grid tables first only because nothing else starts with '+'.)
    """
    return grid(lines) or multiline(lines, headless=False) or simple(lines, headless=True) \
        or simple(lines, headless=False) or multiline(lines, headless=True)


def is_dashed(line: str) -> bool:
    return _DASHED.fullmatch(line) is not None


def _blank(lines: Sequence[str], index: int) -> bool:
    """True at a blank line or past the end: where a table may stop."""
    return index >= len(lines) or not lines[index].strip()


def _runs(dashed: str) -> list[tuple[int, int]]:
    """(start, end) of each run of dashes: one column each."""
    return [match.span() for match in re.finditer(r"-+", dashed)]


def _slices(line: str, runs: list[tuple[int, int]]) -> list[str]:
    """LINE cut into columns: each from its dashes' start to the next column's start."""
    starts = [0] + [start for start, _ in runs[1:]]
    ends = [*starts[1:], max(len(line), runs[-1][1])]
    return [line[start:end] for start, end in zip(starts, ends, strict=True)]


def _align(texts: list[str], runs: list[tuple[int, int]]) -> tuple[str, ...]:
    """Alignment by where the text sits over the dashes (pandoc's manual, simple tables).

    Flush right and beyond on the left: right; flush left: left; beyond on both sides:
    center; flush on both: the default. Of a multiline header, the shortest line decides
    (what pandoc does).
    """
    aligns = []
    for column, region in enumerate(zip(*(_slices(text, runs) for text in texts), strict=True)):
        parts = [part.rstrip() for part in region if part.strip()]
        shortest = min(parts, key=len, default="")
        start, end = runs[column]
        left = shortest[:1].isspace()
        right = 0 < len(shortest) < (end if column == 0 else end - start)
        aligns.append({(True, False): "right", (False, True): "left",
                       (True, True): "center"}.get((left, right), _PLAIN))
    return tuple(aligns)


def _cells(lines: Sequence[str], indexes: list[int], runs: list[tuple[int, int]]
           ) -> tuple[Cell, ...]:
    """Each column's cell over the lines at INDEXES: its lines joined, space around removed."""
    cells = []
    for parts in zip(*(_slices(lines[index], runs) for index in indexes), strict=True):
        texts = [part.strip() for part in parts]
        first = next((n for n, text in enumerate(texts) if text), 0)
        cells.append(Cell("\n".join(texts[first:]).strip(), indexes[first]))
    return tuple(cells)


def simple(lines: Sequence[str], headless: bool) -> Layout | None:
    """A simple table: a one-line header (or none), a dashed line, one-line rows."""
    if headless and is_dashed(lines[0]) and lines[0].strip() != "---":  # "---": YAML, a rule
        dashed = 0
    elif not headless and len(lines) > 1 and is_dashed(lines[1]) and len(_runs(lines[1])) > 1:
        dashed = 1  # (one column would be a setext heading, which pandoc tries first)
    else:
        return None
    runs, first = _runs(lines[dashed]), dashed + 1
    end = first
    while not _blank(lines, end) and not is_dashed(lines[end]):
        end += 1
    closed = end < len(lines) and is_dashed(lines[end])
    if end == first or (headless and not closed):
        return None
    aligns = _align([lines[first if headless else 0]], runs)
    header = () if headless else _cells(lines, [0], runs)
    rows = tuple(_cells(lines, [index], runs) for index in range(first, end))
    return Layout(aligns, (), header, rows, False, end + 1 if closed else end)


def multiline(lines: Sequence[str], headless: bool) -> Layout | None:
    """A multiline table: rows separated by blank lines, between dashed lines; with a
    header, a line of dashes above it."""
    if not is_dashed(lines[0]) or lines[0].strip() == "---":
        return None
    dashed = 0 if headless else _next_dashed(lines, 1)
    if dashed is None or dashed == 1 or (not headless and len(_runs(lines[0])) > 1) \
            or _blank(lines, dashed + 1):
        return None
    runs = _runs(lines[dashed])
    groups, end = _row_groups(lines, dashed + 1)
    if end is None:
        return None
    header_lines = list(range(1, dashed))
    # Without a header, pandoc aligns by the first line of the first row alone.
    aligns = _align([lines[index] for index in header_lines or groups[0][:1]], runs)
    header = _cells(lines, header_lines, runs) if header_lines else ()
    rows = tuple(_cells(lines, group, runs) for group in groups)
    return Layout(aligns, _dash_widths(lines[dashed], runs), header, rows, False, end + 1)


def _next_dashed(lines: Sequence[str], start: int) -> int | None:
    """The header's dashed line, after non-blank header lines; None if there is none."""
    index = start
    while not _blank(lines, index):
        if is_dashed(lines[index]):
            return index
        index += 1
    return None


def _row_groups(lines: Sequence[str], start: int) -> tuple[list[list[int]], int | None]:
    """Rows (lists of line indexes) up to the closing dashed line, and that line's index
    (None if no dashed line closes the table)."""
    groups: list[list[int]] = []
    for index in range(start, len(lines)):
        if is_dashed(lines[index]):
            return groups, index
        if lines[index].strip():
            if index == start or _blank(lines, index - 1):
                groups.append([])
            groups[-1].append(index)
    return groups, None


def _fractions(lengths: list[int]) -> tuple[float, ...]:
    total = max(COLUMNS, sum(lengths))
    return tuple(length / total for length in lengths)


def _dash_widths(dashed: str, runs: list[tuple[int, int]]) -> tuple[float, ...]:
    """Pandoc's relative widths: a column reaches to the next; the last, one past its dashes."""
    indent = runs[0][0]
    starts = [start - indent for start, _ in runs]
    lengths = [following - start for start, following in itertools.pairwise(starts)]
    last = runs[-1][1] - runs[-1][0] + 1
    if lengths and last < lengths[-1] <= last + 2:  # pandoc evens out a near-equal last column
        last = lengths[-1]
    return _fractions([*lengths, last])


def grid(lines: Sequence[str]) -> Layout | None:
    """A grid table: cells between ``+---+`` rules and ``|`` borders, with block content."""
    if not _GRID_RULE.fullmatch(lines[0]):
        return None
    top = lines[0].rstrip()
    bounds = [index for index, char in enumerate(top) if char == "+"]
    end = _grid_end(lines)
    rules = [0, *[i for i in range(1, end + 1) if _GRID_RULE.fullmatch(lines[i])]]
    headed = [i for i in rules if _HEADER_SEPARATOR.fullmatch(lines[i])]
    if headed and headed != rules[1:2]:
        raise Malformed(headed[-1], "grid table with a '+===+' line below its second row, "
                                    "read as text — a header is one row: put '+===+' right "
                                    "under the first row only")
    aligns = _grid_aligns(lines[headed[0]] if headed else top, bounds)
    rows = [_grid_row(lines, bounds, above, below)
            for above, below in itertools.pairwise(rules)]
    header = tuple(rows.pop(0)) if headed else ()
    widths = _fractions([right - left for left, right in itertools.pairwise(bounds)])
    problems = tuple((index, _MISALIGNED) for index in range(1, end)
                     if index not in rules and not _meets(lines[index], bounds))
    return Layout(aligns, widths, header, tuple(tuple(row) for row in rows), True, end + 1,
                  problems)


_MISALIGNED = ("grid table line whose '|' borders miss the columns of its first line — line "
               "up every '|' with a '+' above (cells spanning columns or rows are not supported)")


def _grid_end(lines: Sequence[str]) -> int:
    """The index of the grid table's last rule: rules and ``|`` lines, then a blank line."""
    index = 1
    while index < len(lines) and (lines[index].lstrip().startswith("|")
                                  or _GRID_RULE.fullmatch(lines[index])):
        index += 1
    last = index - 1
    if last == 0 or not _GRID_RULE.fullmatch(lines[last]):
        raise Malformed(last, "grid table without its closing '+---+' line, read as text — "
                              "add the line after its last row")
    return last


def _meets(line: str, bounds: list[int]) -> bool:
    """True if LINE's borders stand under the first line's '+'s."""
    line = line.rstrip()
    return len(line) == bounds[-1] + 1 and all(line[bound] == "|" for bound in bounds)


def _grid_aligns(rule: str, bounds: list[int]) -> tuple[str, ...]:
    """Alignments from the colons of a grid rule: ``:--`` left, ``--:`` right, both center."""
    aligns = []
    for left, right in itertools.pairwise(bounds):
        part = rule[left + 1:right]
        colons = (part.startswith(":"), part.endswith(":"))
        aligns.append({(True, False): "left", (False, True): "right",
                       (True, True): "center"}.get(colons, _PLAIN))
    return tuple(aligns)


def _grid_row(lines: Sequence[str], bounds: list[int], above: int, below: int) -> list[Cell]:
    """The cells between two rules: each column's lines, dedented, as a Markdown block.

    Text past the last border (a misaligned line) goes to the last cell, not away.
    """
    cells = []
    edges = list(itertools.pairwise(bounds))
    for column, (left, right) in enumerate(edges):
        parts = [_part(lines[index], left, right, column == len(edges) - 1)
                 for index in range(above + 1, below)]
        first = next((n for n, part in enumerate(parts) if part.strip()), 0)
        text = textwrap.dedent("\n".join(parts[first:])).rstrip()
        cells.append(Cell(text, above + 1 + first))
    return cells


def _part(line: str, left: int, right: int, last: bool) -> str:
    if not last:
        return line[left + 1:right].rstrip()
    return (line[left + 1:right] + line[right:].rstrip().rstrip("|")).rstrip()
