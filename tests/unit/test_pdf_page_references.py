"""writers.pdf memoises pydyf's PDF.page_references (asked once per PDF/UA structure
element by WeasyPrint's tagging: quadratic in the book's length otherwise)."""

from __future__ import annotations

import pydyf

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
