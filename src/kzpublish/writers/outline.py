"""The PDF outline (bookmarks): the headings the contents list, named as they name them.

WeasyPrint makes a bookmark of every ``h1``–``h6`` (its ``bookmark-level``), named by
the heading's whole text. Pandoc's PDF outline, like its contents, has the headings that
open sections and are not ``unlisted`` (``shared.listed``): not one in a block quote or a
list, and no note's number in a name (its LaTeX names the bookmark with
``\\texorpdfstring``, without the note). So a heading the contents leave out gets
``bookmark-level: none``, and one holding a note call ``bookmark-label`` with its text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Heading
from . import shared

_HEADING = re.compile(r'<h(?P<level>[1-6])(?P<attrs>[^>]*?\sid="(?P<id>[^"]+)"[^>]*)>'
                      r"(?P<body>.*?)</h(?P=level)>", re.S)
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_NOTE_CALL = 'class="footnote-ref"'


def bookmarks(html: str, headings: Sequence[Heading]) -> str:
    """A chapter's HTML with its headings' bookmarks as the contents have them."""
    listed = {heading.id for heading in shared.listed(headings)}
    texts = {heading.id: heading.text for heading in headings}

    def bookmark(match: re.Match[str]) -> str:
        ident = match["id"]
        if ident not in texts:
            return match[0]  # not a heading of the text (a note's own markup, say)
        if ident not in listed:
            return _styled(match, "bookmark-level: none")
        if _NOTE_CALL in match["body"]:
            return _styled(match, f"bookmark-label: {_css_string(texts[ident])}")
        return match[0]
    return _HEADING.sub(bookmark, html)


def _styled(match: re.Match[str], declaration: str) -> str:
    """The heading with ``declaration`` first in its ``style`` (the author's may follow)."""
    attrs = match["attrs"]
    own = _STYLE.search(attrs)
    if own:
        attrs = attrs[:own.start()] + f' style="{declaration}; {own[1]}"' + attrs[own.end():]
    else:
        attrs += f' style="{declaration}"'
    return f'<h{match["level"]}{attrs}>{match["body"]}</h{match["level"]}>'


def _css_string(text: str) -> str:
    """``text`` as a CSS string inside an HTML attribute: quotes and backslashes escaped
    for CSS, then ``&``, ``<`` and ``"`` for HTML."""
    css = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ") + '"'
    return css.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


__all__ = ["bookmarks"]
