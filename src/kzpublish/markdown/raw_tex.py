"""Raw TeX in Markdown: page breaks kept, everything else left out with a warning.

Pandoc reads ``\\command{…}`` and ``\\begin{env}…\\end{env}`` as raw LaTeX, which its HTML
writer drops. Our editions are all made from HTML, so we drop it too — but say so, at the
line — except the commands that ask for a new page (``\\newpage``, ``\\pagebreak``,
``\\clearpage``), which become ``<div class="pagebreak">`` (print.css breaks after it).
"""

from __future__ import annotations

import re
from typing import Any

from . import findings

_ARGUMENT = r"(?:\[[^\]\n]*\]|\{(?:[^{}\n]|\{[^{}\n]*\})*\})"
_COMMAND = re.compile(rf"\\[A-Za-z]+\*?(?P<args>(?:[ \t]*{_ARGUMENT})*)")
_COMMANDS_LINE = re.compile(rf"(?:\\[A-Za-z]+\*?(?:[ \t]*{_ARGUMENT})*[ \t]*)+$")
_BEGIN = re.compile(r"\\begin\{([^}\n]+)\}")
_PAGE_BREAK = re.compile(r"\\(?:newpage|pagebreak|clearpage|cleardoublepage)(?:\{\})?[ \t]*$")
PAGE_BREAK_HTML = '<div class="pagebreak"></div>\n'
_ADVICE = "the editions are made from HTML; say it in Markdown instead"


def block_rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: a line of TeX commands, or a ``\\begin…\\end`` environment."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    text = _line(state, start_line)
    begin = _BEGIN.match(text)
    last = _end_of(state, start_line, end_line, begin[1]) if begin else None
    if last is None and not _COMMANDS_LINE.match(text):
        return False
    if silent:
        return True
    if _PAGE_BREAK.match(text):
        state.push("page_break", "div", 0).map = [start_line, start_line + 1]
    else:
        shown = f"\\begin{{{begin[1]}}}…\\end{{{begin[1]}}}" if begin and last else text.strip()
        findings.warn(state.env, start_line, f"raw TeX '{shown}' left out — {_ADVICE}")
    state.line = (last if last is not None else start_line) + 1
    return True


def _line(state: Any, line: int) -> str:
    return str(state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]])


def _end_of(state: Any, start_line: int, end_line: int, environment: str) -> int | None:
    """The line of the ``\\end{ENVIRONMENT}`` closing the one begun at START_LINE."""
    depth = 0
    for line in range(start_line, end_line):
        text = _line(state, line)
        depth += text.count(f"\\begin{{{environment}}}") - text.count(f"\\end{{{environment}}}")
        if depth <= 0:
            return line
    return None


def render_page_break(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return PAGE_BREAK_HTML


def inline_rule(state: Any, silent: bool) -> bool:
    """Inline rule at a backslash followed by letters: a TeX command, dropped."""
    found = _COMMAND.match(state.src, state.pos, state.posMax)
    if found is None:
        return False
    end = found.end()
    if not found["args"]:
        while end < state.posMax and state.src[end] in " \t":
            end += 1  # as TeX, a bare command swallows the spaces after it
    if not silent:
        snippet = found[0]
        findings.drop(state.push("text", "", 0),
                      f"raw TeX '{snippet}' left out — {_ADVICE}", snippet)
    state.pos = end
    return True
