"""The book as read, kept in the build cache: served while nothing reading saw has changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import kzpublish
from kzpublish import cache, config, confine, read_cache, reader
from kzpublish.model import Book
from tests.conftest import PROJECTS, REPO, copy_project

_CHAPTER = """# One

A picture: ![A dot](pics/dot.svg)

<img src="later.svg" alt="not there yet">

Text.
"""
_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
        '<image href="{href}" width="4" height="4"/></svg>')
_LEAF = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect fill="{}"/></svg>'


def _project(folder: Path) -> Path:
    """A small book whose one chapter shows an SVG that draws another, and names in raw
    HTML a picture that is missing (a warning)."""
    manuscript = folder / "manuscript"
    (manuscript / "pics").mkdir(parents=True)
    (manuscript / "book.toml").write_text(
        'title = "Kept"\nauthors = []\nlanguage = "en"\nchapters = ["one.md"]\n'
        'bibliography = "refs.json"\ncsl = "chicago-author-date"\n', encoding="utf-8")
    (manuscript / "refs.json").write_text("[]", encoding="utf-8")
    (manuscript / "one.md").write_text(_CHAPTER, encoding="utf-8")
    (manuscript / "pics" / "dot.svg").write_text(_SVG.format(href="inner.svg"),
                                                 encoding="utf-8")
    (manuscript / "pics" / "inner.svg").write_text(_LEAF.format("red"), encoding="utf-8")
    return folder


def _read(project: Path) -> tuple[Book, bool]:
    """The book as the pipeline reads it, kept once read; whether it came from the cache."""
    reading = read_cache.read(config.load(project),
                              cache.Store(project / "build" / ".cache", project))
    reading.keep()
    return reading.book, reading.cached


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = _project(tmp_path / "book")
    assert not _read(project)[1]
    return project


def test_an_unchanged_book_is_served_as_it_was_read(project: Path) -> None:
    book, hit = _read(project)
    assert hit and book == reader.read(config.load(project))
    assert repr(book) == repr(reader.read(config.load(project)))  # the citations' key
    assert any("later.svg" in warning.message for warning in book.chapters[0].warnings)


def test_a_disabled_store_reads_and_keeps_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path / "book")
    settings = config.load(project)
    reading = read_cache.read(settings, cache.Store(None))
    reading.keep()
    assert reading[:2] == (reader.read(settings), False)
    assert not (project / "build").exists()


def test_a_book_read_is_kept_only_when_the_pipeline_says_so(tmp_path: Path) -> None:
    """A build refused after reading (a citation, the style) leaves the cache as it was."""
    project = _project(tmp_path / "book")
    store = cache.Store(project / "build" / ".cache", project)
    read_cache.read(config.load(project), store)
    assert not read_cache.read(config.load(project), store).cached
    assert not (project / "build").exists()


@pytest.mark.parametrize("edit", [
    "chapter", "settings", "drawn svg", "svg it draws", "missing file added", "link retargeted",
])
def test_an_edit_to_anything_reading_saw_reads_the_book_again(project: Path,
                                                               edit: str) -> None:
    manuscript = project / "manuscript"
    pics = manuscript / "pics"
    if edit == "chapter":
        (manuscript / "one.md").write_text(_CHAPTER + "More.\n", encoding="utf-8")
    elif edit == "settings":
        toml = manuscript / "book.toml"
        toml.write_text(toml.read_text(encoding="utf-8") + 'subtitle = "Again"\n',
                        encoding="utf-8")
    elif edit == "drawn svg":  # the same size: only the bytes tell
        (pics / "dot.svg").write_text(_SVG.format(href="other.svg"), encoding="utf-8")
        (pics / "other.svg").write_text(_LEAF.format("blue"), encoding="utf-8")
    elif edit == "svg it draws":
        (pics / "inner.svg").write_text(_LEAF.format("blue"), encoding="utf-8")
    elif edit == "missing file added":
        (manuscript / "later.svg").write_text(_LEAF.format("red"), encoding="utf-8")
    else:  # the image a link to another file of the same bytes
        (pics / "inner.svg").rename(pics / "first.svg")
        (pics / "second.svg").write_text(_LEAF.format("red"), encoding="utf-8")
        (pics / "inner.svg").symlink_to("second.svg")
    book, hit = _read(project)
    assert not hit and book == reader.read(config.load(project))
    assert _read(project)[1]  # and kept again


def test_an_edit_in_a_file_reading_did_not_see_keeps_the_book(project: Path) -> None:
    (project / "manuscript" / "notes.txt").write_text("a to-do list", encoding="utf-8")
    (project / "styles").mkdir()
    (project / "styles" / "print.css").write_text("p { color: red }", encoding="utf-8")
    assert _read(project)[1]


@pytest.mark.parametrize("damage", ["{not json", "header\n[]",
                                    '{"inputs": 1, "files": 2, "seen": 3, "book": 4}'])
def test_a_damaged_entry_reads_again(project: Path, damage: str) -> None:
    for entry in (project / "build" / ".cache" / "reading").glob("*.json"):
        entry.write_text(damage, encoding="utf-8")
    book, hit = _read(project)
    assert not hit and book == reader.read(config.load(project))


def test_a_stored_entry_that_does_not_fit_reads_again(project: Path) -> None:
    """A value with its digest intact but not what ``read`` stored (another version's)."""
    store = cache.Store(project / "build" / ".cache", project)
    found = store.get("reading", "book")
    for field, wrong in (("files", [1]), ("book", {"~type": "Heading"}), ("seen", "x")):
        store.put("reading", "book", {**found, field: wrong})
        assert not _read(project)[1]
        store.put("reading", "book", found)


_OPENED = """
import json, sys
from pathlib import Path
from kzpublish import config, confine, reader
settings = config.load(Path(sys.argv[1]))
opened = []
sys.addaudithook(lambda event, args: opened.append(args[0]) if event == "open" else None)
with confine.recording() as looked_at:
    reader.read(settings)
sys.addaudithook(lambda event, args: None)
print(json.dumps({"opened": [str(p) for p in opened if isinstance(p, (str, Path))],
                  "looked_at": [str(p) for p in looked_at]}))
"""


@pytest.mark.parametrize("name", ["seed", "book", "thesis"])
def test_every_file_reading_opens_is_a_chapter_or_looked_at(tmp_path: Path,
                                                             name: str) -> None:
    """The kept book is as good as the list of files it depends on: every file reading
    opens must pass ``confine.inside`` (which lists it) or be a chapter (in the key). The
    thesis shows a PNG from outside manuscript/ (opened by Pillow)."""
    if name == "thesis":
        project = tmp_path / name
        shutil.copytree(PROJECTS / name, project, ignore=shutil.ignore_patterns("build"))
    else:
        project = copy_project(REPO, tmp_path / name) if name == "seed" else _project(
            tmp_path / name)
    source = str(Path(kzpublish.__file__).parents[1])
    done = subprocess.run([sys.executable, "-c", _OPENED, str(project)], check=True, text=True,
                          capture_output=True, env=dict(os.environ, PYTHONPATH=source))
    found = json.loads(done.stdout.splitlines()[-1])
    settings = config.load(project)
    known = {os.path.realpath(settings.manuscript / chapter) for chapter in settings.chapters}
    known |= {os.path.realpath(path) for path in found["looked_at"]}
    inside = [path for path in found["opened"]
              if Path(os.path.realpath(path)).is_relative_to(project.resolve())]
    assert inside and all(os.path.realpath(path) in known for path in inside), (inside, known)
    if name == "book":
        assert {Path(path).name for path in found["looked_at"]} >= {"dot.svg", "inner.svg",
                                                                     "later.svg"}
    if name == "thesis":
        assert "trend.png" in {Path(path).name for path in inside}


def test_recording_lists_what_the_boundary_is_asked_about(tmp_path: Path) -> None:
    """In this thread only: what a server thread looks at meanwhile is no input of the
    book being read."""
    with confine.recording() as outer:
        confine.inside(tmp_path, tmp_path / "a")
        with confine.recording() as inner:
            confine.inside(tmp_path, tmp_path / "b")
            other = threading.Thread(target=confine.inside, args=(tmp_path, tmp_path / "d"))
            other.start()
            other.join()
    confine.inside(tmp_path, tmp_path / "c")
    assert outer == {tmp_path / "a", tmp_path / "b"} and inner == {tmp_path / "b"}
