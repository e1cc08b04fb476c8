"""A print stylesheet's rule WeasyPrint leaves out is a warning at its CSS:LINE:COL.

WeasyPrint logs these to a logger without a handler: the author's rule was lost from the
PDF without a word (``writers.pdf.stylesheet_warnings``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpublish import cache, config, incremental, pipeline
from kzpublish.writers import pdf
from tests.conftest import PROJECTS, copy_project

BAD = "\np { foo-bar: 3px; }\nh2 {\n  color: nonsense;\n}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = copy_project(PROJECTS / "english", tmp_path / "book")
    (project / "styles").mkdir(exist_ok=True)
    (project / "styles" / "print.css").write_text("@page { margin: 2cm; }\n" + BAD,
                                                   encoding="utf-8")
    return project


def test_check_says_what_weasyprint_ignores_and_where(project: Path) -> None:
    css = project / "styles" / "print.css"
    found = [str(w) for w in pipeline.check(project) if w.pos.file == css]
    assert found == [
        f"{css}:3:5: warning: Ignored `foo-bar: 3px`, unknown property — WeasyPrint leaves "
        "it out of the PDF; fix or remove it",
        f"{css}:5:3: warning: Ignored `color: nonsense`, invalid value — WeasyPrint leaves "
        "it out of the PDF; fix or remove it"]


def test_the_builtin_stylesheets_give_none(tmp_path: Path) -> None:
    project = copy_project(PROJECTS / "english", tmp_path / "book")
    assert pdf.stylesheet_warnings(config.load(project)) == []


def test_a_rebuild_says_it_again_from_the_cache(project: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    settings = config.load(project)
    store = cache.Store(tmp_path / "cache", project)
    first = incremental.stylesheet_warnings(settings, store)
    assert len(first) == 2
    monkeypatch.setattr(pdf, "stylesheet_warnings", lambda _: pytest.fail("not cached"))
    assert incremental.stylesheet_warnings(settings, store) == first
    (project / "styles" / "print.css").write_text("p { color: red; }\n", encoding="utf-8")
    monkeypatch.undo()
    assert incremental.stylesheet_warnings(settings, store) == []
