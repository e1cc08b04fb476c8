"""Fenced divs (``::: {#id .class}`` … ``:::``) as Pandoc nests them: a fence with
attributes opens a div, a bare fence of three or more colons closes the innermost open one.

mdit-py-plugins' container closed a div at the first fence at least as long as its
opening, so ``::: outer`` / ``::: inner`` / ``:::`` / ``:::`` ended *outer* at the inner's
closing fence and left the last ``:::`` as a paragraph of text. This rule finds the
closing fence by counting the divs opened and closed on the way, and passes over fenced
and indented code, where colons are code. The tokens are the container's
(``container_div_open`` / ``_close``, the text after the colons as ``info``), so the
renderer and the rules that look for divs are unchanged.
"""

from __future__ import annotations

import re
from typing import Any

_OPENING = re.compile(r":{3,}")
_CLOSING = re.compile(r":{3,}[ \t]*$")
_CODE_FENCE = re.compile(r"(`{3,}|~{3,})")


def rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: a div from its opening fence to the fence that closes it. A fence never
    closed opens nothing: Pandoc reads it as text."""
    if _indented_code(state, start_line):
        return False
    text = _text(state, start_line)
    fence = _OPENING.match(text)
    if not fence or not text[fence.end():].strip():
        return False
    close = _closing_line(state, start_line + 1, end_line)
    if close is None or silent:
        return close is not None
    _push(state, start_line, close, fence.group(), text[fence.end():])
    state.line = close + 1
    return True


def _closing_line(state: Any, first: int, end_line: int) -> int | None:
    """The line of the fence that closes the div opened just above FIRST, if its container
    has one."""
    depth, code_fence = 1, ""
    for line in range(first, end_line):
        text = _text(state, line)
        if text and state.sCount[line] < state.blkIndent:
            return None  # a line outdented past the container ends it
        if code_fence:
            code_fence = "" if _closes_code(text, code_fence) else code_fence
        elif _indented_code(state, line):
            continue
        elif found := _CODE_FENCE.match(text):
            code_fence = found.group()
        elif _CLOSING.match(text):
            depth -= 1
            if depth == 0:
                return line
        elif _OPENING.match(text) and text.lstrip(":").strip():
            depth += 1
    return None


def _closes_code(text: str, fence: str) -> bool:
    """A line of at least as many of the fence's characters, and nothing else."""
    run = len(text) - len(text.lstrip(fence[0]))
    return run >= len(fence) and not text[run:].strip()


def _push(state: Any, start: int, close: int, markup: str, params: str) -> None:
    """The container's tokens around the div's content, tokenized up to its closing fence."""
    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType, state.lineMax = "container", close
    opening = state.push("container_div_open", "div", 1)
    opening.markup, opening.block, opening.info, opening.map = markup, True, params, [start, close]
    state.md.block.tokenize(state, start + 1, close)
    closing = state.push("container_div_close", "div", -1)
    closing.markup, closing.block = markup, True
    state.parentType, state.lineMax = old_parent, old_line_max


def _indented_code(state: Any, line: int) -> bool:
    return bool(state.sCount[line] - state.blkIndent >= 4)


def _text(state: Any, line: int) -> str:
    """The line from its first non-space character."""
    return str(state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]])
