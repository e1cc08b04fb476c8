"""Footnotes for print: each note moves from the chapter's end to its call.

WeasyPrint sets an element with ``float: footnote`` at the foot of the page
where the element stands, so the note must stand where it is called. Notes
become inline ``span``s (a block inside a paragraph would end the paragraph);
their paragraphs are spans styled as blocks; the number that links back to the
call on screen is plain text on paper.
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


def _inline(body: str) -> str:
    body = _BACK.sub(r'<span class="footnote-label">\1</span>', body).strip()
    body = re.sub(r"<p>", '<span class="footnote-p">', body)
    return re.sub(r"</p>\s*", "</span>", body)


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
