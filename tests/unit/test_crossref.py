"""crossref: labelled figures, tables, equations and sections numbered, references resolved."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kzpublish import config, crossref, pipeline, reader
from kzpublish.config import Config
from kzpublish.errors import KzError, ManuscriptError, SourcePos
from kzpublish.model import Book, Chapter
from tests.conftest import PROJECTS, copy_project

NBSP = "\u00a0"
FIGURE = '<figure id="{id}"><img src="x.png" alt="x"><figcaption>{caption}</figcaption></figure>'
TABLE = '<table id="{id}"><caption>{caption}</caption><tr><td>1</td></tr></table>'
EQUATION = '<div class="equation" id="{id}"><math><mi>x</mi></math></div>'


def _book(folder: Path, *chapters: str, **settings: Any) -> tuple[Book, Config]:
    """The chapters (Markdown) as read, and a Config naming them, made in code."""
    manuscript = folder / "manuscript"
    manuscript.mkdir(parents=True, exist_ok=True)
    names = []
    for index, text in enumerate(chapters, start=1):
        (manuscript / f"ch{index}.md").write_text(text, encoding="utf-8")
        names.append(Path(f"ch{index}.md"))
    (manuscript / "refs.json").write_text("[]", encoding="utf-8")
    shutil.copy(PROJECTS / "english" / "manuscript" / "images" / "editions.png",
                manuscript / "x.png")
    fields: dict[str, Any] = {"title": "T", "authors": (), "language": "en",
                              "chapters": tuple(names), "bibliography": Path("refs.json"),
                              "csl": "apa", **settings}
    settings_ = Config(project=folder, file=manuscript / "book.toml", **fields)
    return reader.read(settings_), settings_


def _resolved(folder: Path, *chapters: str, **settings: Any) -> list[str]:
    book, settings_ = _book(folder, *chapters, **settings)
    return [chapter.html for chapter in crossref.resolve(book, settings_).chapters]


def _link(ident: str, text: str) -> str:
    return f'<a href="#{ident}" class="xref">{text}</a>'


OBJECTS = "\n\n".join([FIGURE.format(id="fig:a", caption="Alpha"),
                       FIGURE.format(id="fig:b", caption="Beta"),
                       FIGURE.format(id="fig:c", caption="Gamma"),
                       TABLE.format(id="tbl:t", caption="Sizes"),
                       EQUATION.format(id="eq:e")])


def test_numbers_run_through_the_book_in_reading_order(tmp_path: Path) -> None:
    first = (f"# One\n\n{FIGURE.format(id='fig:x', caption='First')}\n\n"
             f"{TABLE.format(id='tbl:x', caption='T1')}\n")
    second = (f"# Two\n\n{FIGURE.format(id='fig:y', caption='Second')}\n\n"
              f"{EQUATION.format(id='eq:y')}\n\n{TABLE.format(id='tbl:y', caption='T2')}\n\n"
              "See @fig:x, @fig:y, @tbl:y and @eq:y.\n")
    one, two = _resolved(tmp_path, first, second)
    assert f'<figcaption><span class="caption-label">Figure{NBSP}1</span>: First' in one
    assert f'<caption><span class="caption-label">Table{NBSP}1</span>: T1</caption>' in one
    assert f'<span class="caption-label">Figure{NBSP}2</span>: Second' in two
    assert f'<span class="caption-label">Table{NBSP}2</span>: T2' in two
    assert '<math><mi>x</mi></math><span class="equation-number">(1)</span></div>' in two
    assert (f"See {_link('fig:x', f'fig.{NBSP}1')}, {_link('fig:y', f'fig.{NBSP}2')}, "
            f"{_link('tbl:y', f'tbl.{NBSP}2')} and {_link('eq:y', f'eq.{NBSP}1')}.") in two


def test_unlabelled_figures_stay_unnumbered(tmp_path: Path) -> None:
    text = "![Plain](x.png)\n\n" + FIGURE.format(id="fig:a", caption="Labelled") + "\n"
    (body,) = _resolved(tmp_path, text)
    assert "<figcaption>Plain</figcaption>" in body
    assert f"Figure{NBSP}1</span>: Labelled" in body


def test_a_figure_without_caption_gets_its_label(tmp_path: Path) -> None:
    (body,) = _resolved(tmp_path, '<figure id="fig:a"><img src="x.png" alt="x"></figure>\n')
    assert f'<figcaption><span class="caption-label">Figure{NBSP}1</span></figcaption>' in body


@pytest.mark.parametrize(("written", "expected"), [
    ("@fig:a", _link("fig:a", f"fig.{NBSP}1")),
    ("[@fig:a]", _link("fig:a", f"fig.{NBSP}1")),
    ("@Fig:b", _link("fig:b", f"Fig.{NBSP}2")),
    ("[-@fig:b]", _link("fig:b", "2")),
    ("[Figure @fig:c]", _link("fig:c", f"Figure{NBSP}3")),
    ("[@fig:a; @fig:b]", f"figs.{NBSP}{_link('fig:a', '1')}, {_link('fig:b', '2')}"),
    ("[@fig:a; @fig:b; @fig:c]", f"figs.{NBSP}{_link('fig:a', '1')}–{_link('fig:c', '3')}"),
    ("[@Fig:a; @fig:c]", f"Figs.{NBSP}{_link('fig:a', '1')}, {_link('fig:c', '3')}"),
    ("[@fig:a; @tbl:t]", f"{_link('fig:a', f'fig.{NBSP}1')}, {_link('tbl:t', f'tbl.{NBSP}1')}"),
    ("[-@fig:a; @fig:b]", f"{_link('fig:a', '1')}, {_link('fig:b', f'fig.{NBSP}2')}"),
    ("@eq:e", _link("eq:e", f"eq.{NBSP}1")),
    ("@tbl:t", _link("tbl:t", f"tbl.{NBSP}1")),
])
def test_each_reference_form(tmp_path: Path, written: str, expected: str) -> None:
    (body,) = _resolved(tmp_path, f"{OBJECTS}\n\nSee {written} here.\n")
    assert f"See {expected} here." in body


def test_quarto_ids_and_references(tmp_path: Path) -> None:
    text = (FIGURE.format(id="fig-a", caption="Alpha") + "\n\n"
            + TABLE.format(id="tbl-t", caption="Sizes")
            + "\n\n## Method {#sec-method}\n\nSee @fig-a, @tbl-t, @sec-method.\n")
    (body,) = _resolved(tmp_path, text, number_sections=True)
    assert f"See {_link('fig-a', f'fig.{NBSP}1')}, {_link('tbl-t', f'tbl.{NBSP}1')}, " \
           f"{_link('sec-method', f'sec.{NBSP}0.1')}." in body
    assert f"Figure{NBSP}1</span>: Alpha" in body


def test_russian_captions_and_references(tmp_path: Path) -> None:
    text = (f"# Введение {{#sec:intro}}\n\n## Метод {{#sec:method}}\n\n{OBJECTS}\n\n"
            "См. @fig:a, [@fig:a; @fig:b; @fig:c], @tbl:t, формулу @eq:e и @sec:method.\n")
    (body,) = _resolved(tmp_path, text, language="ru", number_sections=True)
    assert f'<span class="caption-label">Рисунок{NBSP}1</span> — Alpha' in body
    assert f'<span class="caption-label">Таблица{NBSP}1</span> — Sizes' in body
    assert (f"См. {_link('fig:a', f'рис.{NBSP}1')}, "
            f"рис.{NBSP}{_link('fig:a', '1')}–{_link('fig:c', '3')}, "
            f"{_link('tbl:t', f'табл.{NBSP}1')}, формулу {_link('eq:e', '(1)')} и "
            f"{_link('sec:method', f'разд.{NBSP}1.1')}.") in body


@pytest.mark.parametrize(("language", "caption", "reference"), [
    ("de", "Abbildung{nb}1</span>: Alpha", "Abb.{nb}1"),
    ("de-AT", "Tabelle{nb}1</span>: Sizes", "Tab.{nb}1"),
    ("fr", "Figure{nb}1</span>{nb}: Alpha", "fig.{nb}1"),
    ("fr", "Tableau{nb}1</span>{nb}: Sizes", "tableau{nb}1"),
])
def test_german_and_french_captions_and_references(tmp_path: Path, language: str,
                                                   caption: str, reference: str) -> None:
    """A German book read "Table 1" and "tbl. 1" in its German sentences."""
    kind = "tbl:t" if "Tab" in reference or "tableau" in reference else "fig:a"
    (body,) = _resolved(tmp_path, f"{OBJECTS}\n\n@{kind}\n", language=language)
    assert caption.format(nb=NBSP) in body
    assert _link(kind, reference.format(nb=NBSP)) in body


def test_other_languages_fall_back_to_english_words(tmp_path: Path) -> None:
    (body,) = _resolved(tmp_path, f"{OBJECTS}\n\n@fig:a\n", language="kk")
    assert _link("fig:a", f"fig.{NBSP}1") in body
    assert f"Figure{NBSP}1</span>: Alpha" in body


def test_numbers_within_chapters_as_pandoc_crossref_s_chapters(tmp_path: Path) -> None:
    """number-within-chapters: 1.1, 2.1… by the numbered chapters (one file with three
    level-1 headings is three chapters); a preface marked {-} numbers its own plainly."""
    text = (f"# Preface {{-}}\n\n{FIGURE.format(id='fig:p', caption='P')}\n\n"
            f"# One\n\n{FIGURE.format(id='fig:a', caption='A')}\n\n"
            f"{FIGURE.format(id='fig:b', caption='B')}\n\n{EQUATION.format(id='eq:a')}\n\n"
            f"# Two\n\n{FIGURE.format(id='fig:c', caption='C')}\n\n"
            f"{TABLE.format(id='tbl:c', caption='T')}\n\nSee [@fig:a; @fig:b], @fig:p.\n")
    preface, one, two = _resolved(tmp_path, text, number_within_chapters=True)
    assert f'<span class="caption-label">Figure{NBSP}1</span>: P' in preface
    assert f'<span class="caption-label">Figure{NBSP}1.2</span>: B' in one
    assert '<span class="equation-number">(1.1)</span>' in one
    assert f'<span class="caption-label">Figure{NBSP}2.1</span>: C' in two
    assert f'<span class="caption-label">Table{NBSP}2.1</span>: T' in two
    assert (f"See figs.{NBSP}{_link('fig:a', '1.1')}, {_link('fig:b', '1.2')}, "
            f"{_link('fig:p', f'fig.{NBSP}1')}.") in two


def test_sections_numbered_as_pandoc_numbers_them(tmp_path: Path) -> None:
    first = "# One {#sec:one}\n\n## Sub\n\n## Aside {-}\n\n## Next {#sec:next}\n"
    second = "# Two\n\n### Deep {#sec:deep}\n\nSee @sec:next and [@sec:one; @sec:deep].\n"
    book, settings = _book(tmp_path, first, second, number_sections=True)
    one, two = crossref.resolve(book, settings).chapters
    assert '<h1 data-number="1" id="sec:one"><span class="header-section-number">1</span> One' \
        in one.html
    assert '<h2 data-number="1.2" id="sec:next"><span class="header-section-number">1.2' \
        in one.html
    assert '<h2 id="aside" class="unnumbered">Aside</h2>' in one.html
    assert [h.text for h in one.headings] == ["1 One", "1.1 Sub", "Aside", "1.2 Next"]
    assert [h.text for h in two.headings] == ["2 Two", "2.0.1 Deep"]
    assert one.title == "One"  # the running head keeps the title alone
    assert (f"See {_link('sec:next', f'sec.{NBSP}1.2')} and secs.{NBSP}"
            f"{_link('sec:one', '1')}, {_link('sec:deep', '2.0.1')}.") in two.html


def test_a_section_without_number_is_referred_to_by_its_title(tmp_path: Path) -> None:
    text = "# One {#sec:one}\n\n## Aside {#sec:aside .unnumbered}\n\nSee @sec:one, @sec:aside.\n"
    (plain,) = _resolved(tmp_path, text)
    assert f"See {_link('sec:one', 'One')}, {_link('sec:aside', 'Aside')}." in plain
    (numbered,) = _resolved(tmp_path, text, number_sections=True)
    assert f"See {_link('sec:one', f'sec.{NBSP}1')}, {_link('sec:aside', 'Aside')}." in numbered


def test_unknown_reference_is_an_error_at_its_position(tmp_path: Path) -> None:
    text = (FIGURE.format(id="fig:a", caption="A")
            + "\n\nFine @fig:a.\nBut [see @tbl:nope] and @fig-a.\n")
    book, settings = _book(tmp_path, text)
    with pytest.raises(ManuscriptError) as caught:
        crossref.resolve(book, settings)
    lines = [str(d) for d in caught.value.diagnostics]
    where = tmp_path / "manuscript" / "ch1.md"
    assert lines == [
        f"{where}:4:10: error: unknown cross-reference '@tbl:nope' — nothing has the id "
        "'tbl:nope'; label a table with {#tbl:nope}",
        f"{where}:4:25: error: unknown cross-reference '@fig-a' — nothing has the id "
        "'fig-a'; did you mean @fig:a?",
    ]


def test_an_id_labelling_two_figures_is_an_error(tmp_path: Path) -> None:
    twice = FIGURE.format(id="fig:a", caption="A") + "\n\n"
    book, settings = _book(tmp_path, twice, twice)
    with pytest.raises(ManuscriptError) as caught:
        crossref.resolve(book, settings)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{tmp_path / 'manuscript' / 'ch2.md'}: error: the id 'fig:a' labels two elements — "
        "give each its own, e.g. {#fig:a-2}"]


def test_mixed_with_citations_the_citation_keeps_its_place(tmp_path: Path) -> None:
    text = (FIGURE.format(id="fig:a", caption="A") +
            "\n\nFirst [@smith]. Then [@fig:a; @jones, p. 3]. Last @brown.\n")
    book, settings = _book(tmp_path, text)
    (chapter,) = crossref.resolve(book, settings).chapters
    assert [c.number for c in chapter.citations] == [1, 2, 3]
    assert [[i.key for i in c.items] for c in chapter.citations] == [
        ["smith"], ["jones"], ["brown"]]
    assert chapter.citations[1].items[0].locator == "3"
    assert (f'First {reader.cite_marker(1)}. Then {_link("fig:a", f"fig.{NBSP}1")}, '
            f'{reader.cite_marker(2)}. Last {reader.cite_marker(3)}.') in chapter.html


def test_citations_are_numbered_again_once_crossrefs_leave(tmp_path: Path) -> None:
    text = FIGURE.format(id="fig:a", caption="A") + "\n\n@fig:a [@smith] [-@fig:a] [@jones]\n"
    book, settings = _book(tmp_path, text)
    (chapter,) = crossref.resolve(book, settings).chapters
    assert [(c.number, c.items[0].key) for c in chapter.citations] == [(1, "smith"), (2, "jones")]
    assert reader.cite_marker(1) in chapter.html and reader.cite_marker(2) in chapter.html
    assert reader.cite_marker(3) not in chapter.html


def test_listings_are_numbered_with_a_caption_above(tmp_path: Path) -> None:
    text = ('<figure id="lst:a"><figcaption>Hello</figcaption><pre><code>hi</code></pre></figure>'
            '\n\n<pre id="lst:b"><code>bye</code></pre>\n\nSee [@lst:a; @lst:b].\n')
    (body,) = _resolved(tmp_path, text)
    assert f'<span class="caption-label">Listing{NBSP}1</span>: Hello' in body
    assert (f'<p class="listing-caption"><span class="caption-label">Listing{NBSP}2</span></p>'
            '<pre id="lst:b">') in body
    assert f"See lsts.{NBSP}{_link('lst:a', '1')}, {_link('lst:b', '2')}." in body


def test_a_listings_caption_attribute_is_its_caption(tmp_path: Path) -> None:
    """pandoc-crossref's ``caption="…"`` on a fence: "Listing 1: Hello <world>" — the
    caption was lost, leaving "Listing 1" alone."""
    text = '```{#lst:a .python caption="Hello <world>"}\nx = 1\n```\n\nSee @lst:a.\n'
    (body,) = _resolved(tmp_path, text)
    assert (f'<p class="listing-caption"><span class="caption-label">Listing{NBSP}1</span>: '
            'Hello &lt;world&gt;</p><div class="sourceCode" id="lst:a"') in body


def test_a_note_called_in_a_caption_is_not_called_from_the_lists() -> None:
    """A note style's citation in a caption is a note call; the list of tables read
    "Table 1: Sizes18"."""
    chapter = Chapter(id="ch01", source=SourcePos(Path("ch.md")), title="T", html=(
        '<table id="tbl:t"><caption><span class="caption-label">Table 1</span>: Sizes'
        '<sup class="footnote-ref"><a href="#fn-ch01-18" id="fnref-ch01-18" '
        'role="doc-noteref">18</a></sup> of <em>things</em></caption></table>'))
    assert crossref.captions(chapter, "tbl") == [("tbl:t", "Table 1: Sizes of things")]


def test_is_crossref_knows_both_forms() -> None:
    assert all(crossref.is_crossref(k) for k in ("fig:a", "Fig:a", "tbl-x", "eq:1", "sec:s",
                                                  "lst:code"))
    assert not any(crossref.is_crossref(k) for k in ("smith2020", "figueroa2001", "eqbal"))


def _project(tmp_path: Path, extra: str, number_sections: bool = False) -> Path:
    project = copy_project(PROJECTS / "english", tmp_path / "book")
    chapter = project / "manuscript" / "01-metal.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + extra, encoding="utf-8")
    shutil.copy(project / "manuscript" / "images" / "editions.png",
                project / "manuscript" / "x.png")  # FIGURE's picture
    if number_sections:
        toml = project / "manuscript" / "book.toml"
        toml.write_text("number-sections = true\n" + toml.read_text(encoding="utf-8"),
                        encoding="utf-8")
    return project


def test_check_accepts_crossrefs_and_reports_unknown_ones(tmp_path: Path) -> None:
    project = _project(tmp_path, "\n" + FIGURE.format(id="fig:a", caption="A")
                       + "\n\nSee [@fig:a; @moxon1683].\n")
    assert pipeline.check(project) == []
    chapter = project / "manuscript" / "01-metal.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nAnd @fig:b.\n", encoding="utf-8")
    with pytest.raises(KzError) as caught:
        pipeline.check(project)
    (problem,) = caught.value.diagnostics
    assert "unknown cross-reference '@fig:b'" in str(problem)
    assert str(problem).startswith(f"{chapter}:")


def test_number_sections_key_is_validated(tmp_path: Path) -> None:
    project = _project(tmp_path, "", number_sections=True)
    assert config.load(project).number_sections is True
    toml = project / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "number-sections = true", 'number-sections = "yes"'), encoding="utf-8")
    with pytest.raises(KzError, match="bad value for 'number-sections'"):
        config.load(project)


def test_editing_one_chapter_renumbers_the_next_through_the_cache(tmp_path: Path) -> None:
    project = copy_project(PROJECTS / "english", tmp_path / "book")
    manuscript = project / "manuscript"
    second = manuscript / "02-screen.md"
    second.write_text(second.read_text(encoding="utf-8").replace(
        "## Afterword", FIGURE.format(id="fig:late", caption="Late") + "\n\nSee @fig:late.\n\n"
        "## Afterword"), encoding="utf-8")
    out = project / "out"
    pipeline.run(project, ["html"], out)
    page = out / "html" / "ch02.html"
    assert f"Figure{NBSP}1</span>: Late" in page.read_text(encoding="utf-8")
    first = manuscript / "01-metal.md"
    first.write_text(first.read_text(encoding="utf-8") + "\n"
                     + FIGURE.format(id="fig:early", caption="Early") + "\n", encoding="utf-8")
    pipeline.run(project, ["html"], out)
    text = page.read_text(encoding="utf-8")
    assert f"Figure{NBSP}2</span>: Late" in text
    assert f"fig.{NBSP}2</a>" in text
    shutil.rmtree(out)
