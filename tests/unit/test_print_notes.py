"""Footnotes in print (writers/notes.py, writers/pdf.py): a note stands at its call as an
inline span, whatever blocks it holds, and lands at the foot of its call's page."""

from __future__ import annotations

import re
from pathlib import Path

from kzpublish import assets, reader
from kzpublish.config import PdfOptions
from kzpublish.writers import pdf
from kzpublish.writers.notes import to_page_foot
from tests.conftest import one_chapter_book
from tests.textutil import pdf_text

_CALL = '<sup class="footnote-ref"><a href="#fn-c-1" id="fnref-c-1">1</a></sup>'
_NOTES = ('<section class="footnotes" role="doc-endnotes">\n'
          '<aside class="footnote" id="fn-c-1" role="doc-footnote">\n'
          '<p><a href="#fnref-c-1" class="footnote-back">1</a>. Items:</p>\n'
          '<ol type="a" start="3">\n<li>third</li>\n</ol>\n'
          '<ul>\n<li><p>bullet</p></li>\n</ul>\n'
          '<pre class="x"><code>  indented code\n</code></pre>\n'
          '<blockquote style="color: red">\n<p>quoted</p>\n</blockquote>\n'
          '<table><tr><td>cell</td></tr></table>\n'
          '</aside>\n</section>\n')


def test_a_notes_blocks_become_spans_so_the_note_stays_in_its_paragraph() -> None:
    """A <pre>, list, quote or table in a span inside <p> would end the paragraph (the HTML
    parser closes it there): the rest of the note fell into the text, off the page foot."""
    printed = to_page_foot(f"<p>Text.{_CALL} More text.</p>\n{_NOTES}")
    assert printed.startswith(f"<p>Text.{_CALL}<span class=\"footnote\" id=\"fn-c-1\">")
    assert printed.rstrip().endswith(" More text.</p>")
    note = printed[printed.index('<span class="footnote"'):printed.index(" More text.")]
    assert not re.search(r"</?(?:p|ol|ul|li|pre|blockquote|table|tr|td)\b", note)
    assert '<span class="footnote-ol" style="display: block; counter-reset: list-item 2"' in note
    assert 'style="display: list-item; list-style-type: lower-alpha">third' in note
    assert 'style="display: list-item; list-style-type: disc"><span class="footnote-p">bullet' \
        in note
    assert ('<span class="footnote-pre x" style="display: block; white-space: pre-wrap">'
            "<code>  indented code\n</code></span>") in note
    assert '<span class="footnote-blockquote" style="display: block; color: red">' in note
    assert '<span class="footnote-td" style="display: table-cell">cell</span>' in note
    assert note.count("<span") == note.count("</span>")


def test_notes_stand_on_their_calls_page_on_a4(tmp_path: Path) -> None:
    """WeasyPrint compared the footnote area without a tolerance: on A4 with print.css a
    1e-13 px rounding moved every note to a later page, one note a page."""
    text = "# Notes\n\n" + "".join(f"Call {n}.[^{n}]\n\n[^{n}]: Note {n}.\n\n" for n in range(1, 4))
    settings = one_chapter_book(tmp_path, text, pdf=PdfOptions(page_size="A4"))
    written = pdf.write(reader.read(settings), settings, tmp_path)
    pages = pdf_text(written).split("\f")
    chapter = next(page for page in pages if "Call 1." in page)
    assert all(f"{n}. Note {n}." in chapter for n in range(1, 4)), pages


def test_a_note_called_in_a_heading_or_emphasis_is_set_as_text() -> None:
    """The note stands where it is called: in an <h2> it was set bold and sans-serif."""
    css = (assets.BUILTIN_STYLES / "print.css").read_text(encoding="utf-8")
    rule = re.search(r"\n\.footnote \{(.*?)\}", css, re.S)
    assert rule is not None
    for declaration in ('font-family: "Noto Serif", serif;', "font-weight: normal;",
                        "font-style: normal;", "font-variant: normal;"):
        assert declaration in rule[1]
