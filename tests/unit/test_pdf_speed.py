"""What writers.pdf leaves out of WeasyPrint's way on a long book: pydyf's
PDF.page_references built once (asked once per PDF/UA structure element by WeasyPrint's
tagging: quadratic otherwise), and ids nothing in print links to."""

from __future__ import annotations

from pathlib import Path

import pydyf

from kzpublish import pipeline
from kzpublish.writers import pdf as pdf_writer


def _references_as_pydyf_builds_them(document: pydyf.PDF) -> tuple[bytes, ...]:
    return tuple(f"{n} 0 R".encode("ascii") for n in document.pages["Kids"][::3])


def test_page_references_are_pydyfs_and_built_once_per_page_count() -> None:
    assert pydyf.PDF.page_references.fget is pdf_writer._page_references
    document = pydyf.PDF()
    for _ in range(3):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = document.page_references
    assert first == _references_as_pydyf_builds_them(document)
    assert document.page_references is first  # not built again
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert document.page_references == _references_as_pydyf_builds_them(document)
    assert len(document.page_references) == 4


def test_print_has_no_backlink_targets_the_screen_keeps(tmp_path: Path) -> None:
    from tests.conftest import PROJECTS, copy_project
    settings, book = pipeline.resolve(copy_project(PROJECTS / "english", tmp_path / "b"))
    assert any('id="cite-' in chapter.html for chapter in book.chapters)
    printed = pdf_writer.render_html(book, settings)
    assert 'id="cite-' not in printed
    assert 'href="#ref-' in printed  # citations still lead to their entries
