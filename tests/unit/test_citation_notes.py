"""citation_notes.place renders citations in reading order (note styles' ibid depends on it)."""

from __future__ import annotations

from pathlib import Path

from kzpublish import citation_notes, footnote_rules
from kzpublish.errors import SourcePos
from kzpublish.model import Chapter

WORDS = {"back": "Back", "notes": "Notes"}


def _chapter() -> Chapter:
    """Body: cite 1, the author's note call, cite 2; the note (at the end) holds cite 3."""
    call = footnote_rules.call_html("fn-c1-1", "fnref-c1-1", 1)
    note = (footnote_rules.section_open("Notes") + footnote_rules.note_open("fn-c1-1")
            + '<p>See <kz-cite n="3"></kz-cite>.</p>\n</aside>\n</section>\n')
    html = (f'<p>One <kz-cite n="1"></kz-cite>. Two{call} and '
            f'three <kz-cite n="2"></kz-cite>.</p>\n{note}')
    return Chapter(id="c1", source=SourcePos(Path("c1.md"), 1, 1), title="T", html=html)


def test_a_citation_in_an_authors_note_renders_where_its_call_is_read() -> None:
    order: list[str] = []

    def render(kind: str):
        return lambda n: order.append(f"{kind}{n}") or f"[{kind}{n}]"

    placed = citation_notes.place(_chapter(), lambda n: "", render("note"), render("in-note"),
                                  WORDS)
    assert order == ["note1", "in-note3", "note2"]
    assert "See [in-note3]." in placed.html
    assert placed.html.count('role="doc-footnote"') == 3
