"""Markdown written inside a raw HTML block: Pandoc reads it, CommonMark does not.

``<td>This is *emphasized*</td>`` prints its asterisks here, while Pandoc
(``markdown_in_html_blocks``) renders the emphasis. Rather than print Markdown source
silently, each HTML block that seems to hold some is a warning at its line.
"""

from __future__ import annotations

import re
from typing import Any

from . import findings

_VERBATIM = re.compile(r"\s*<(?:script|style|pre|textarea|!--)", re.I)  # never Markdown
_MARKDOWN = re.compile(r"(?<![\w*_\\])(\*\*?|__?)(?=[^\s*_])[^<>\n]*?[^\s\\*_]\1(?![\w*_])"
                       r"|\[[^\]\n]+\]\([^)\s]+\)|`[^`\n]+`")


def rule(state: Any) -> None:
    """Core rule (after block): warn about HTML blocks holding Markdown syntax."""
    for token in state.tokens:
        if token.type != "html_block" or _VERBATIM.match(token.content):
            continue
        text = re.sub(r"<[^>]*>", " ", token.content)  # attributes may hold * or _
        found = _MARKDOWN.search(text)
        if found:
            findings.warn(state.env, token.map[0] if token.map else 0,
                          f"Markdown inside raw HTML is not read ('{found[0]}' stays as "
                          "written) — leave a blank line after the opening tag, or write HTML")
