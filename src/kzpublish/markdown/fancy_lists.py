"""Pandoc's fancy list markers: ``(a)``, ``a)``, ``a.``, ``i.``, ``A.``, ``I.``, ``(1)``, ``#.``.

markdown-it knows only ``1.`` and ``1)``. Rather than a second list parser, this block rule
runs just before markdown-it's list rule and rewrites each fancy marker of the list, in
the source, into a decimal one *of the same length* — so every offset and the items'
content columns stay as they were — and records the list's style and first number, which
``attributes`` (a core rule) puts on the ``<ol>`` as Pandoc's ``type`` and ``start``.
"""

from __future__ import annotations

import re
from typing import Any

_MARKER = re.compile(r"(?P<open>\()?(?P<num>\d{1,9}|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+|#)"
                     r"(?P<close>[.)])(?=[ \t]|$)")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_KEY = "kz_fancy_lists"


def _style(number: str) -> str:
    """Pandoc's list style of a first marker: 'a', 'A', 'i', 'I', '1' or '#'."""
    if number.isdigit() or number == "#":
        return "1" if number.isdigit() else "#"
    if len(number) == 1 and number not in "iI":
        return "a" if number.islower() else "A"
    return "i" if number.islower() else "I"


def _value(number: str, style: str) -> int:
    if number == "#":
        return 1
    if style == "1":
        return int(number)
    if style in "aA":
        return ord(number.lower()) - ord("a") + 1
    if style in "iI":
        values = [_ROMAN[ch] for ch in number.lower()]
        return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0],
                                                                 strict=True))
    return 1


def _fits(marker: re.Match[str], first: re.Match[str], style: str) -> bool:
    """Whether MARKER continues the list FIRST began in STYLE (same style and delimiter)."""
    if (marker["open"], marker["close"]) != (first["open"], first["close"]):
        return False
    number = marker["num"]
    if number == "#":
        return True  # Pandoc's "#." continues a list of any style
    if style in "aA":
        return len(number) == 1 and number.isalpha() and (number.islower() == (style == "a"))
    if style in "iI":
        return bool(re.fullmatch("[ivxlcdm]+" if style == "i" else "[IVXLCDM]+", number))
    return number.isdigit() if style == "1" else number == "#"


def _marker(state: Any, line: int) -> re.Match[str] | None:
    start = state.bMarks[line] + state.tShift[line]
    found = _MARKER.match(state.src, start, state.eMarks[line])
    if found and found["open"] and found["close"] != ")":
        return None  # "(a." is no marker
    return found


def _wanted(found: re.Match[str], state: Any, line: int) -> bool:
    """A fancy marker markdown-it would not read itself, with Pandoc's spacing rule."""
    number = found["num"]
    if number.isdigit() and not found["open"]:
        return False  # 1. and 1) are markdown-it's own
    if found["close"] == "." and len(number) == 1 and number.isupper():
        rest = state.src[found.end():state.eMarks[line]]
        return not rest.strip() or rest.startswith("  ")  # "A.  Item": initials are no list
    return True


def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule before 'list': rewrite the markers of a fancy list, then let it be read.

    Asked (silently) whether it ends a paragraph: yes inside a list, where Pandoc starts a
    sublist under an item's text; elsewhere a list needs a blank line before it.
    """
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    found = _marker(state, start_line)
    if found is None or not _wanted(found, state, start_line):
        return False
    if silent:
        return bool(state.listIndent >= 0)
    style = _style(found["num"])
    for line in [start_line, *_siblings(state, start_line, end_line, found, style)]:
        _rewrite(state, line, style)
    return False


def _siblings(state: Any, start_line: int, end_line: int, first: re.Match[str],
              style: str) -> list[int]:
    """Later item lines of the same list: same indent and style, before the list ends."""
    indent, found, after_blank = state.sCount[start_line], [], False
    for line in range(start_line + 1, end_line):
        if state.isEmpty(line):
            after_blank = True
            continue
        if state.sCount[line] > indent:  # an item's own content
            after_blank = False
            continue
        marker = _marker(state, line)
        if state.sCount[line] == indent and marker and _fits(marker, first, style):
            found.append(line)
        elif after_blank or state.sCount[line] < indent:
            break  # a paragraph after a blank line, or an outdent, ends the list
        after_blank = False
    return found


def _rewrite(state: Any, line: int, style: str) -> None:
    found = _marker(state, line)
    if found is None:
        return
    width = found.end() - found.start()
    decimal = "0" * (width - 2) + "1" + (")" if found["close"] == ")" else ".")
    state.src = state.src[:found.start()] + decimal + state.src[found.end():]
    state.env.setdefault(_KEY, {})[line] = (style, _value(found["num"], style))


def attributes(state: Any) -> None:
    """Core rule (after block): each rewritten list gets its type and start."""
    lists = state.env.pop(_KEY, {})
    for token in state.tokens:
        if token.type == "ordered_list_open" and token.map and token.map[0] in lists:
            style, start = lists[token.map[0]]
            if style in "aAiI":
                token.attrSet("type", style)
            if start != 1:
                token.attrSet("start", str(start))
            elif token.attrGet("start") is not None:
                del token.attrs["start"]
