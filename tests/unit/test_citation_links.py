"""A cite links to its reference's entry only when the list holds one (citations.resolve)."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import html as lxml_html

from kzpublish import pipeline

REFERENCES = [
    {"id": "doe2001", "type": "book", "title": "Signed", "note": "listed",
     "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2001]]}},
    {"id": "roe2002", "type": "book", "title": "Unsigned",
     "author": [{"family": "Roe", "given": "Rick"}], "issued": {"date-parts": [[2002]]}},
]
CITATION = """<citation><layout prefix="(" suffix=")" delimiter="; ">
    <names variable="author"><name form="short"/></names>
    <date variable="issued" prefix=" "><date-part name="year"/></date></layout></citation>"""
ONLY_NOTES = """<bibliography><layout><text variable="note"/></layout></bibliography>"""


def _cites(tmp_path: Path, bibliography: str) -> dict[str, bool]:
    """Cite text → whether it is a link, after building the chapter."""
    manuscript, styles = tmp_path / "manuscript", tmp_path / "csl"
    manuscript.mkdir()
    styles.mkdir()
    (styles / "plain.csl").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<style xmlns="http://purl.org/net/xbiblio/csl"'
        ' class="in-text" version="1.0"><info><title>Plain</title><id>plain</id>'
        f'<updated>2024-01-01T00:00:00+00:00</updated></info>{CITATION}{bibliography}</style>',
        encoding="utf-8")
    (manuscript / "book.toml").write_text(
        'title = "Links"\nauthors = []\nlanguage = "en"\nchapters = ["ch.md"]\n'
        'bibliography = "refs.json"\ncsl = "plain"\n', encoding="utf-8")
    (manuscript / "ch.md").write_text("# One\n\nFirst [@doe2001]. Second [@roe2002].\n",
                                      encoding="utf-8")
    (manuscript / "refs.json").write_text(json.dumps(REFERENCES), encoding="utf-8")
    _, book = pipeline.resolve(tmp_path)
    page = lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div")
    return {" ".join(span.text_content().split()): bool(span.xpath(".//a"))
            for span in page.xpath("//span[@class='citation']")}


def test_a_cite_of_an_entry_that_renders_empty_is_not_a_link(tmp_path: Path) -> None:
    assert _cites(tmp_path, ONLY_NOTES) == {"(Doe 2001)": True, "(Roe 2002)": False}


def test_without_a_bibliography_no_cite_is_a_link(tmp_path: Path) -> None:
    assert _cites(tmp_path, "") == {"(Doe 2001)": False, "(Roe 2002)": False}
