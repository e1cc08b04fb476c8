"""CSL cite grouping and collapse="year": outputs are citeproc-js's for the same cites."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kzpublish import citations
from kzpublish.reader import read
from tests.conftest import one_chapter_book

BOOKS = [
    {"id": "doe1999", "type": "book", "title": "A", "issued": {"date-parts": [[1999]]},
     "author": [{"family": "Doe", "given": "Jane"}]},
    {"id": "smith2001", "type": "book", "title": "B", "issued": {"date-parts": [[2001]]},
     "author": [{"family": "Smith", "given": "Al"}]},
    {"id": "doe2005", "type": "book", "title": "C", "issued": {"date-parts": [[2005]]},
     "author": [{"family": "Doe", "given": "Jane"}]},
]
TEXT = "One [@doe1999; @smith2001; @doe2005, p. 4].\n\nTwo [@doe1999; @doe2005; @smith2001].\n"


def _citations(tmp_path: Path, style: str) -> list[str]:
    settings = one_chapter_book(tmp_path, TEXT, csl=style)
    (settings.manuscript / "refs.json").write_text(json.dumps(BOOKS), encoding="utf-8")
    html = citations.resolve(read(settings), settings).chapters[0].html
    spans = re.findall(r'<span class="citation"[^>]*>(.*?)</span>(?=[.<])', html)
    return [re.sub(r"<[^>]+>", "", span).replace("\u00a0", " ") for span in spans]


@pytest.mark.parametrize(("style", "expected"), [
    # no cs:sort: only cites that stand together are grouped
    ("chicago-author-date", ["(Doe 1999; Smith 2001; Doe 2005, 4)",
                             "(Doe 1999, 2005; Smith 2001)"]),
    # APA sorts the cites by author first, which brings Doe's together
    ("apa", ["(Doe, 1999, 2005, p. 4; Smith, 2001)", "(Doe, 1999, 2005; Smith, 2001)"]),
    # sorted, but no collapse: nothing grouped (the style's own locale says "с.")
    ("gost-r-7-0-5-2008", ["[Doe, 1999; Doe, 2005, с. 4; Smith, 2001]",
                           "[Doe, 1999; Doe, 2005; Smith, 2001]"]),
])
def test_cites_by_the_same_names_collapse(tmp_path: Path, style: str,
                                          expected: list[str]) -> None:
    assert _citations(tmp_path, style) == expected
