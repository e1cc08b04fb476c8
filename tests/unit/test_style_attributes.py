"""A declaration of an author's ``style`` attribute WeasyPrint leaves out is a warning at
the chapter line where it is written (``style_attributes``): WeasyPrint only logs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpublish import cache, config, incremental, pipeline, reader, style_attributes
from kzpublish.writers import pdf
from tests.conftest import PROJECTS, REPO
from tests.unit.test_glyphs import small_book

CHAPTER = ("# T\n\nA <span style=\"colr: red; color: blue\">span</span> and\n"
           "[more]{style=\"color: nonsense; margin: 1em\"}, <b style='color: red'>fine</b>.\n\n"
           "| a | b |\n|--:|---|\n| 1 | 2 |\n")
FIX = " — WeasyPrint leaves it out of the PDF; fix or remove it"


def test_check_says_what_weasyprint_leaves_out_and_where(tmp_path: Path) -> None:
    project = small_book(tmp_path, CHAPTER)
    chapter = project / "manuscript" / "ch.md"
    found = [str(w) for w in pipeline.check(project) if "style attribute" in w.message]
    assert found == [
        f"{chapter}:3:16: warning: style attribute: Ignored `colr: red`, unknown property"
        + FIX,
        f"{chapter}:4:15: warning: style attribute: Ignored `color: nonsense`, invalid value"
        + FIX]


def test_a_pdf_build_says_it_again_from_the_cache(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    project = small_book(tmp_path, CHAPTER)
    settings = config.load(project)
    book = reader.read(settings)
    store = cache.Store(tmp_path / "cache", project)
    first = incremental.style_attribute_warnings(book, store)
    assert len(first) == 2
    monkeypatch.setattr(pdf, "declaration_problems", lambda _: pytest.fail("not cached"))
    assert incremental.style_attribute_warnings(book, store) == first
    monkeypatch.undo()
    result = pipeline.run(project, ["pdf"], tmp_path / "out")
    assert [w for w in result.warnings if "style attribute" in w.message] == first


def test_a_value_with_braces_is_not_read_as_declarations() -> None:
    assert pdf.declaration_problems(["} p { colr: red", "colr: 1"]) == {
        "colr: 1": ["Ignored `colr: 1`, unknown property"]}


@pytest.mark.parametrize("project", [REPO, *sorted(PROJECTS.iterdir())],
                         ids=lambda path: path.name)
def test_the_demo_and_test_books_have_none(project: Path) -> None:
    book = reader.read(config.load(project))
    assert style_attributes.warnings(
        book, pdf.declaration_problems(style_attributes.values(book))) == []
