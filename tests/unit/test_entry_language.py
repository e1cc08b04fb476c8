"""Mixed-language bibliographies: book.toml ``entry-language`` (issue 7).

"own" (the default, GOST R 7.0.5 / 7.1): each entry and its citations use the terms,
dates and quotes of the reference's own ``language``; "book": all in the book's
language. Either way the list is collated by the book's language. Each case builds a
small project and resolves it through the real pipeline (citations, then typography).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from kzpublish import csl, intl, pipeline, typography
from kzpublish.errors import ConfigError

SMITH = {"id": "smith2020", "type": "article-newspaper", "language": "en",
         "title": "Russia's New Path", "container-title": "The Times",
         "issued": {"date-parts": [[2020, 3, 15]]},
         "author": [{"family": "Smith", "given": "John"}, {"family": "Doe", "given": "Jane"},
                    {"family": "Roe", "given": "Rick"}, {"family": "Poe", "given": "Mark"}]}
IVANOV = {"id": "ivanov2021", "type": "article-newspaper", "language": "ru",
          "title": "Новый путь", "container-title": "Известия",
          "issued": {"date-parts": [[2021, 3, 15]]},
          "author": [{"family": "Иванов", "given": "Иван"}, {"family": "Петров", "given": "Пётр"},
                     {"family": "Сидоров", "given": "Сидор"},
                     {"family": "Кузнецов", "given": "Кузьма"}]}
CHAPTER = "# Глава\n\nТекст [@smith2020, p. 5] и [@ivanov2021, с. 7].\n"


def _project(root: Path, language: str, style: str, mode: str | None = None,
             references: list[dict[str, Any]] | None = None, chapter: str = CHAPTER) -> Path:
    manuscript = root / "manuscript"
    manuscript.mkdir(parents=True)
    line = f'entry-language = "{mode}"\n' if mode else ""
    (manuscript / "book.toml").write_text(
        f'title = "Книга"\nauthors = []\nlanguage = "{language}"\nchapters = ["ch.md"]\n'
        f'bibliography = "refs.json"\ncsl = "{style}"\n{line}', encoding="utf-8")
    (manuscript / "ch.md").write_text(chapter, encoding="utf-8")
    (manuscript / "refs.json").write_text(
        json.dumps(references or [SMITH, IVANOV], ensure_ascii=False, indent=1),
        encoding="utf-8")
    return root


def _resolved(root: Path, *args: Any, **kwargs: Any) -> lxml_html.HtmlElement:
    _, book = pipeline.resolve(_project(root, *args, **kwargs))
    return lxml_html.fragment_fromstring(book.chapters[0].html, create_parent="div")


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _cites(page: Any) -> list[str]:
    return [_text(span) for span in page.xpath("//span[@class='citation']")]


def _entries(page: Any) -> dict[str, tuple[str, str | None]]:
    """Entry id → (text without backlinks, its lang attribute)."""
    entries = {}
    for div in page.xpath("//div[contains(@class, 'csl-entry')]"):
        for backlinks in div.xpath(".//span[@class='ref-backlinks']"):
            backlinks.drop_tree()
        entries[div.get("id")[len("ref-"):]] = (_text(div), div.get("lang"))
    return entries


# --- a Russian book -------------------------------------------------------------------------

def test_russian_book_own_keeps_english_terms(tmp_path: Path) -> None:
    page = _resolved(tmp_path, "ru", "apa")
    assert _cites(page) == ["(Smith et al., 2020, p. 5)", "(Иванов и др., 2021, с. 7)"]
    entries = _entries(page)
    assert entries["smith2020"] == (
        "Smith, J., Doe, J., Roe, R., & Poe, M. (2020, March 15). Russia’s New Path. "
        "The Times.", "en")
    assert entries["ivanov2021"][0].startswith("Иванов, И., Петров, П., Сидоров, С., "
                                               "& Кузнецов, К. (2021, март 15).")
    assert entries["ivanov2021"][1] is None
    assert list(entries) == ["ivanov2021", "smith2020"]  # А–Я, then A–Z


def test_russian_book_own_is_the_default_and_marks_the_language(tmp_path: Path) -> None:
    page = _resolved(tmp_path, "ru", "apa")
    cite = page.xpath("//span[@id='cite-1']//span[@lang]")
    assert [(s.get("lang"), _text(s)) for s in cite] == [("en", "Smith et al., 2020, p. 5")]
    assert not page.xpath("//span[@id='cite-2']//*[@lang]")
    backlinks = page.xpath("//div[@id='ref-smith2020']/span[@class='ref-backlinks']")
    assert backlinks[0].get("lang") == "ru"  # «Назад к тексту» is the book's


def test_russian_book_book_mode_uses_russian_terms(tmp_path: Path) -> None:
    page = _resolved(tmp_path, "ru", "apa", "book")
    assert _cites(page) == ["(Smith и др., 2020, с. 5)", "(Иванов и др., 2021, с. 7)"]
    entries = _entries(page)
    assert "(2020, март 15)" in entries["smith2020"][0]
    assert entries["smith2020"][1] is None
    assert not page.xpath("//*[@lang]")
    assert list(entries) == ["ivanov2021", "smith2020"]


@pytest.mark.parametrize(("mode", "english", "russian"), [
    ("own", "“Russia’s New Path.”", "«Новый путь»."),
    ("book", "«Russia’s New Path».", "«Новый путь»."),
])
def test_quotes_follow_the_entry_language(tmp_path: Path, mode: str, english: str,
                                          russian: str) -> None:
    """Typography sets an English entry by English rules: its “” are not re-quoted «»."""
    entries = _entries(_resolved(tmp_path, "ru", "chicago-author-date", mode))
    assert english in entries["smith2020"][0]
    assert russian in entries["ivanov2021"][0]


def test_note_style_citations_use_the_item_language(tmp_path: Path) -> None:
    page = _resolved(tmp_path, "ru", "chicago-notes-bibliography")
    notes = _text(page)
    assert "John Smith et al., “Russia’s New Path,” The Times, March 15, 2020, 5." in notes
    assert "Иван Иванов и др., «Новый путь», Известия, 15 март 2021 г., 7." in notes


# --- an English book ------------------------------------------------------------------------

def test_english_book_own_gives_a_russian_source_russian_terms(tmp_path: Path) -> None:
    page = _resolved(tmp_path, "en", "apa")
    assert _cites(page) == ["(Smith et al., 2020, p. 5)", "(Иванов и др., 2021, с. 7)"]
    entries = _entries(page)
    assert entries["ivanov2021"][1] == "ru"
    assert "(2021, март 15)" in entries["ivanov2021"][0]
    assert list(entries) == ["smith2020", "ivanov2021"]  # Unicode collation: Latin first


def test_english_book_book_mode_uses_english_terms(tmp_path: Path) -> None:
    page = _resolved(tmp_path, "en", "apa", "book")
    assert _cites(page) == ["(Smith et al., 2020, p. 5)", "(Иванов et al., 2021, p. 7)"]
    assert "(2021, March 15)" in _entries(page)["ivanov2021"][0]
    assert not page.xpath("//*[@lang]")


# --- the language field ---------------------------------------------------------------------

@pytest.mark.parametrize(("value", "tag"), [
    ("en", "en"), ("en-US", "en-US"), ("English", "en"), ("eng", "en"), ("ru", "ru"),
    ("ru-RU", "ru-RU"), ("ru_RU", "ru-RU"), ("русский", "ru"), ("Russian", "ru"),
    ("английский", "en"), ("Elvish", None), ("", None), ("xx", None),
])
def test_language_values_map_to_tags(value: str, tag: str | None) -> None:
    assert intl.language_tag(value, "ru") == tag


@pytest.mark.parametrize("value", ["English", "en-GB", "eng", "английский"])
def test_english_by_any_name_gets_english_terms(tmp_path: Path, value: str) -> None:
    page = _resolved(tmp_path, "ru", "apa", references=[{**SMITH, "language": value}, IVANOV])
    assert _cites(page)[0] == "(Smith et al., 2020, p. 5)"


@pytest.mark.parametrize("value", ["Elvish", "Klingon"])  # Klingon: no CSL terms
def test_unknown_language_falls_back_to_the_book(tmp_path: Path, value: str) -> None:
    page = _resolved(tmp_path, "ru", "apa", references=[{**SMITH, "language": value}, IVANOV])
    assert _cites(page)[0] == "(Smith и др., 2020, с. 5)"
    assert not page.xpath("//*[@lang]")


def test_item_without_language_uses_the_book(tmp_path: Path) -> None:
    smith = {key: value for key, value in SMITH.items() if key != "language"}
    page = _resolved(tmp_path, "en", "apa", references=[smith, {**IVANOV}])
    assert _cites(page) == ["(Smith et al., 2020, p. 5)", "(Иванов и др., 2021, с. 7)"]


def test_check_warns_about_an_unknown_language_at_its_item(tmp_path: Path) -> None:
    project = _project(tmp_path, "ru", "apa", references=[
        {**SMITH, "language": "Klingon"}, {**IVANOV, "language": "Elvish"}])
    warnings = [str(w) for w in pipeline.check(project) if "language" in str(w)]
    refs = tmp_path / "manuscript" / "refs.json"
    lines = refs.read_text(encoding="utf-8").splitlines()
    at = {key: next(f"{number}:{text.index(key) + 1}" for number, text
                    in enumerate(lines, start=1) if f'"{key}"' in text)
          for key in ("smith2020", "ivanov2021")}  # the line and column of the item's id
    assert warnings == [
        f"{refs}:{at['smith2020']}: warning: reference 'smith2020' has language 'Klingon', "
        "which CSL has no terms for — it is set in the book's language (ru)",
        f"{refs}:{at['ivanov2021']}: warning: reference 'ivanov2021' has language 'Elvish', "
        "which names no language kzpublish knows — write a BCP 47 tag such as \"en\" "
        "(now it is set in the book's language (ru))"]


def test_check_does_not_warn_in_book_mode(tmp_path: Path) -> None:
    project = _project(tmp_path, "ru", "apa", "book",
                       references=[SMITH, {**IVANOV, "language": "Elvish"}])
    assert not [w for w in pipeline.check(project) if "language" in str(w)]


# --- book.toml ------------------------------------------------------------------------------

def test_config_default_and_values(tmp_path: Path) -> None:
    from kzpublish import config
    assert config.load(_project(tmp_path / "a", "ru", "apa")).entry_language == "own"
    assert config.load(_project(tmp_path / "b", "ru", "apa", "book")).entry_language == "book"


def test_config_rejects_a_bad_value_at_its_line(tmp_path: Path) -> None:
    from kzpublish import config
    with pytest.raises(ConfigError) as caught:
        config.load(_project(tmp_path, "ru", "apa", "source"))
    book = tmp_path / "manuscript" / "book.toml"
    (message,) = [str(d) for d in caught.value.diagnostics]
    assert message.startswith(f"{book}:7:1: error: bad value for 'entry-language' — "
                              'it must be "own"')
    assert '"book"' in message


# --- the locale switch itself ---------------------------------------------------------------

def test_locale_switch_does_not_leak_between_items(tmp_path: Path) -> None:
    """The same engine renders en, ru, en, ru: every render uses its own item's terms."""
    style = csl.find_style("apa", tmp_path)
    engine = csl.Engine(style, "ru", [SMITH, IVANOV], intl.sort_key("ru"))
    engine.register([csl.ItemRequest("smith2020"), csl.ItemRequest("ivanov2021")])
    renders = [engine.render(csl.ItemRequest(key, "5")) for key in
               ("smith2020", "ivanov2021", "smith2020", "ivanov2021")]
    assert renders == ["Smith et al., 2020, p. 5", "Иванов и др., 2021, с. 5"] * 2
    assert engine.language_of("SMITH2020") == "en" and engine.language_of("ivanov2021") is None


def test_typography_sets_a_foreign_element_by_its_own_rules() -> None:
    html = ('Он сказал "да" (<a href="#r"><span lang="en">Smith, "Title," p. 5</span></a>)'
            '<div class="note" lang="en">Russia\'s "Path" в доме'
            '<span lang="ru"> "в доме"</span></div>')
    assert typography.typeset_html(html, "ru") == (
        'Он сказал «да» (<a href="#r"><span lang="en">Smith, “Title,” p. 5</span></a>)'
        '<div class="note" lang="en">Russia’s “Path” в доме'
        '<span lang="ru"> «в\u00a0доме»</span></div>')


def test_typography_of_a_foreign_element_is_idempotent() -> None:
    html = '<p>"Да" <span lang="en">"Yes" - it\'s</span> "нет"</p>'
    once = typography.typeset_html(html, "ru")
    assert typography.typeset_html(once, "ru") == once
    assert re.search(r"<span lang=\"en\">“Yes” - it’s</span>", once)
