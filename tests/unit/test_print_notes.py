"""Footnotes in print (writers/notes.py, writers/pdf.py): a note stands at its call as an
inline span, whatever blocks it holds."""

from __future__ import annotations

import re

from kzpublish.writers.notes import to_page_foot

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

