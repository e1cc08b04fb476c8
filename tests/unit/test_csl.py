"""The citeproc-py adapter and its three mends (narrative forms, collation, punctuation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpublish import csl, intl

REPO = Path(__file__).resolve().parents[2]
PEOPLE = [
    {"id": "latin", "type": "book", "title": "Zeta", "issued": {"date-parts": [[2001]]},
     "author": [{"family": "Adams", "given": "Ann"}]},
    {"id": "cyr", "type": "book", "title": "Альфа", "issued": {"date-parts": [[2002]]},
     "author": [{"family": "Яковлев", "given": "Яков"}]},
    {"id": "cyr2", "type": "book", "title": "Бета", "issued": {"date-parts": [[2003]]},
     "author": [{"family": "Борисов", "given": "Борис"}]},
    {"id": "q", "type": "webpage", "title": "Что делать?", "URL": "https://example.org/",
     "issued": {"date-parts": [[2020]]}, "accessed": {"date-parts": [[2024, 5, 1]]},
     "author": [{"family": "Чернышевский", "given": "Николай"}]},
]


def _engine(language: str = "ru") -> csl.Engine:
    style = csl.find_style("essay-author-date", REPO)
    engine = csl.Engine(style, language, PEOPLE)
    engine.register([csl.ItemRequest(r["id"]) for r in PEOPLE])
    return engine


def test_layout_affixes_are_taken_out_of_the_style() -> None:
    engine = _engine()
    assert engine.layout == csl.Layout("(", ")", "; ")
    assert engine.render(csl.ItemRequest("cyr")) == "Яковлев, 2002"


@pytest.mark.parametrize(("mode", "expected"), [
    (csl.NamesMode.NORMAL, "Яковлев, 2002, с. 5"),
    (csl.NamesMode.SUPPRESS, "2002, с. 5"),
    (csl.NamesMode.ONLY, "Яковлев"),
])
def test_names_modes(mode: csl.NamesMode, expected: str) -> None:
    request = csl.ItemRequest("cyr", locator="5", label="page", names=mode)
    assert _engine().render(request) == expected


def test_names_modes_reach_through_substitutes() -> None:
    style = csl.find_style("chicago-author-date", REPO)
    engine = csl.Engine(style, "en", PEOPLE)
    only = engine.render(csl.ItemRequest("latin", names=csl.NamesMode.ONLY))
    suppressed = engine.render(csl.ItemRequest("latin", names=csl.NamesMode.SUPPRESS))
    assert (only, suppressed) == ("Adams", "2001")


def test_bibliography_is_collated_by_the_book_language() -> None:
    ru = [key for key, _ in _engine("ru").entries(intl.sort_key("ru"))]
    en = [key for key, _ in _engine("ru").entries(intl.sort_key("en"))]
    assert ru == ["cyr2", "q", "cyr", "latin"]
    assert en == ["latin", "cyr2", "q", "cyr"]


def test_question_mark_swallows_the_period() -> None:
    entries = dict(_engine().entries(intl.sort_key("ru")))
    assert "Что делать? Доступно по адресу" in entries["q"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Why?. Next", "Why? Next"),
    ("<i>Why?</i>. Next", "<i>Why?</i> Next"),
    ("Wow!. Next", "Wow! Next"),
    ("Inc.. Next", "Inc. Next"),
    ("Wait.... Next", "Wait.... Next"),
    ("Plain. Next", "Plain. Next"),
])
def test_merge_punctuation(text: str, expected: str) -> None:
    assert csl.merge_punctuation(text) == expected


def test_style_lookup(tmp_path: Path) -> None:
    assert csl.find_style("essay-author-date", REPO) == REPO / "csl" / "essay-author-date.csl"
    assert csl.find_style("apa", tmp_path).name == "apa.csl"
    with pytest.raises(FileNotFoundError, match="no CSL style 'nope'"):
        csl.find_style("nope", tmp_path)


def test_locale_choice() -> None:
    assert csl.locale_for("ru") == "ru-RU"
    assert csl.locale_for("en") == "en-US"
    assert csl.locale_for("en-GB") == "en-GB"
    assert csl.locale_for("xx") == "en-US"


def test_schema_validation_reports_lines(tmp_path: Path) -> None:
    assert csl.validate_style(REPO / "csl" / "essay-author-date.csl") == []
    bad = tmp_path / "bad.csl"
    bad.write_text('<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">\n'
                   "<nonsense/>\n</style>\n", encoding="utf-8")
    problems = csl.validate_style(bad)
    assert problems and problems[0].pos.line is not None
