"""Footnotes for print: each note moves from the chapter's end to its call.

WeasyPrint sets an element with ``float: footnote`` at the foot of the page
where the element stands, so the note must stand where it is called. Notes
become inline ``span``s (a block inside a paragraph would end the paragraph);
every block they hold — paragraphs, code, lists, quotes, tables — becomes a span of
class ``footnote-TAG``, displayed as that block by its own ``style`` (a project's
print.css replaces the built-in one, and must not lose this): the HTML parser would
otherwise close the paragraph at a ``<pre>`` or ``<ul>``, spilling the rest of the note
into the text and losing the note from the page foot. The number that links back to
the call on screen is plain text on paper.
"""

from __future__ import annotations

import re

_NOTE = re.compile(
    r'<aside class="footnote" id="(?P<id>[^"]+)" role="doc-footnote">\s*(?P<body>.*?)</aside>\s*',
    re.S)
_SECTION = re.compile(
    r'<section class="footnotes" role="doc-endnotes">\s*(?:<h2 [^>]*>.*?</h2>)?\s*</section>\s*',
    re.S)
_BACK = re.compile(r'<a href="#fnref[^"]*" class="footnote-back"[^>]*>(.*?)</a>', re.S)
_BLOCK_TAG = re.compile(
    r"<(?P<end>/?)(?P<tag>p|pre|div|blockquote|ul|ol|li|dl|dt|dd|figure|figcaption|hr"
    r"|h[1-6]|table|caption|thead|tbody|tfoot|tr|th|td|section|aside|details|summary"
    r"|address|header|footer|nav|article|colgroup|col)\b(?P<attrs>[^>]*)>(?P<space>\s*)", re.I)
_LIST_STYLES = {"a": "lower-alpha", "A": "upper-alpha", "i": "lower-roman", "I": "upper-roman"}
_DISPLAY = {"li": "list-item", "table": "table", "caption": "table-caption",
            "thead": "table-header-group", "tbody": "table-row-group",
            "tfoot": "table-footer-group", "tr": "table-row", "th": "table-cell",
            "td": "table-cell", "colgroup": "table-column-group", "col": "table-column",
            "pre": "block; white-space: pre-wrap"}
"""How a block's span is displayed; any other block's is ``block`` (a paragraph's is
print.css's: the first one runs on from the note's number)."""
_CLASS = re.compile(r"""\sclass=(["'])(.*?)\1""", re.S)
_STYLE = re.compile(r"""\sstyle=(["'])(.*?)\1""", re.S)


def _span(match: re.Match[str], lists: list[str]) -> str:
    """A block's tag as a span's: its classes kept after ``footnote-TAG``, its style
    after the display that makes it the block it was."""
    tag = match["tag"].lower()
    if match["end"]:
        if tag in ("ul", "ol") and lists:
            lists.pop()
        return "</span>"  # the space after a block is none inside a paragraph
    attrs = match["attrs"].rstrip("/").rstrip()
    own_class, own_style = _CLASS.search(attrs), _STYLE.search(attrs)
    attrs = _STYLE.sub("", _CLASS.sub("", attrs, count=1), count=1)
    classes = f"footnote-{tag}" + (f" {own_class[2]}" if own_class else "")
    styles = [] if tag == "p" else [_display(tag, attrs, lists)]
    styles += [own_style[2]] if own_style else []
    style = f' style="{"; ".join(styles)}"' if styles else ""
    void = tag in ("hr", "col")
    keep = match["space"] if tag == "pre" else ""  # code's own leading spaces
    return f'<span class="{classes}"{style}{attrs}>' + ("</span>" if void else "") + keep


def _display(tag: str, attrs: str, lists: list[str]) -> str:
    """The CSS that displays TAG's span as TAG; a list notes its markers in LISTS."""
    display = f"display: {_DISPLAY.get(tag, 'block')}"
    if tag == "li":
        return f"{display}; list-style-type: {lists[-1] if lists else 'disc'}"
    if tag not in ("ul", "ol"):
        return display
    kind = re.search(r'\stype="([aAiI1])"', attrs)
    lists.append("disc" if tag == "ul" else _LIST_STYLES.get(kind[1] if kind else "", "decimal"))
    start = re.search(r'\sstart="(-?\d+)"', attrs)
    return display + (f"; counter-reset: list-item {int(start[1]) - 1}" if start else "")


def _inline(body: str) -> str:
    body = _BACK.sub(r'<span class="footnote-label">\1</span>', body).strip()
    lists: list[str] = []  # the list-style-type of each list open around the tag
    return _BLOCK_TAG.sub(lambda match: _span(match, lists), body).strip()


def to_page_foot(html: str) -> str:
    """Move every note of an HTML fragment to just after its (first) call."""
    notes = {m["id"]: _inline(m["body"]) for m in _NOTE.finditer(html)}
    html = _SECTION.sub("", _NOTE.sub("", html))
    for ident, body in notes.items():
        call = re.search(rf'<sup class="footnote-ref"><a href="#{re.escape(ident)}"[^>]*>'
                         r".*?</a></sup>", html)
        if call:
            note = f'<span class="footnote" id="{ident}">{body}</span>'
            html = html[: call.end()] + note + html[call.end():]
    return html
