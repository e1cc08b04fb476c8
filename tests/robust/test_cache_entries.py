"""The build cache under attack or damage: anything off is a miss, never an error or text.

A wrong-shaped entry once broke every later build until removed, and a planted citation
entry was published; entries now carry their schema, kind, key and a digest of their
value (``cache.Store``). Keys name the project's files relative to it, so a project
moved elsewhere with its build folder still hits.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kzpublish import cache, cli
from tests.conftest import PROJECTS

PLANTED = "PLANTED-TEXT"


@pytest.fixture
def built(tmp_path: Path) -> Path:
    project = tmp_path / "book"
    shutil.copytree(PROJECTS / "english", project)
    assert cli.main(["build", str(project), "--format", "html", "-q"]) == 0
    return project


def _entries(project: Path, kind: str) -> list[Path]:
    return sorted((project / "build" / cache.FOLDER / kind).glob("*.json"))


def _rebuild(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Build again (after editing a chapter, so the edition is written); the page."""
    chapter = project / "manuscript" / "02-screen.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["build", str(project), "--format", "html", "-q"]) == 0
    assert capsys.readouterr().err == ""
    return "".join(page.read_text(encoding="utf-8")
                   for page in (project / "build" / "html").glob("*.html"))


def _values(kind: str) -> list[str]:
    """Wrong shapes for an entry of KIND: of the file, of the header, of the value."""
    header = json.dumps({"schema": "kzpublish-cache-2", "kind": kind, "key": "x",
                         "digest": "0" * 64})
    return ["not json", "[]", "{}\nnull", "null\n{}", f"{header}\n" + '{"changes": []}',
            '{"schema": "kzpublish-cache-1"}\n[]']


@pytest.mark.parametrize("kind", ["citations", "chapters", "editions", "entries"])
def test_a_damaged_entry_is_a_miss(kind: str, built: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    entries = _entries(built, kind)
    assert entries
    for text in _values(kind):
        for entry in entries:
            entry.write_text(text, encoding="utf-8")
        _rebuild(built, capsys)
        entries = _entries(built, kind)


def test_a_planted_citation_entry_is_not_published(built: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A well-formed entry whose text was changed (the digest no longer fits) — or one
    written without the envelope, as before — is ignored."""
    for entry in _entries(built, "citations") + _entries(built, "chapters"):
        stored = entry.read_text(encoding="utf-8")
        planted = stored.replace("Gutenberg", PLANTED).replace("Knuth", PLANTED)
        assert planted != stored
        entry.write_text(planted, encoding="utf-8")
    chapter = built / "manuscript" / "01-metal.md"
    chapter.touch()
    assert PLANTED not in _rebuild_unchanged(built, capsys)


def _rebuild_unchanged(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Build again with no source changed except what the cache holds; the page."""
    shutil.rmtree(project / "build" / "html")  # the edition is written again
    capsys.readouterr()
    assert cli.main(["build", str(project), "--format", "html", "-q"]) == 0
    return "".join(page.read_text(encoding="utf-8")
                   for page in (project / "build" / "html").glob("*.html"))


def test_a_moved_project_still_hits(built: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    moved = tmp_path / "elsewhere" / "book"
    shutil.move(built, moved)
    capsys.readouterr()
    assert cli.main(["build", str(moved), "--format", "html", "-v"]) == 0
    output = capsys.readouterr()
    everything = output.out + output.err
    assert "1 edition(s), 0 written" in everything, everything
