"""Shared fixtures: copies of the demo book and one build of it per test session."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from kzpublish.config import Config

REPO = Path(__file__).resolve().parents[1]
PROJECTS = Path(__file__).parent / "projects"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite golden files from current output (review the diff!)")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def one_chapter_book(folder: Path, text: str, **settings: Any) -> Config:
    """A Config for a book of one chapter (``ch.md``) and an empty ``refs.json``, made in
    code: what reader- and citation-level tests need without a book.toml."""
    manuscript = folder / "manuscript"
    manuscript.mkdir(parents=True, exist_ok=True)
    (manuscript / "ch.md").write_text(text, encoding="utf-8")
    (manuscript / "refs.json").write_text("[]", encoding="utf-8")
    fields: dict[str, Any] = {"title": "T", "authors": (), "language": "en",
                              "chapters": (Path("ch.md"),), "bibliography": Path("refs.json"),
                              "csl": "apa", **settings}
    return Config(project=folder, file=manuscript / "book.toml", **fields)


def copy_project(source: Path, target: Path) -> Path:
    """Copy a book project (sources only, no build output)."""
    for folder in ("manuscript", "styles", "csl", "templates"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder)
    return target


@pytest.fixture
def seed_project(tmp_path: Path) -> Path:
    """A private copy of the demo book, free to break."""
    return copy_project(REPO, tmp_path / "seed")


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All three editions of the demo book, built once for the session."""
    from kzpublish import build
    project = copy_project(REPO, tmp_path_factory.mktemp("seed-build"))
    out = project / "out"
    build(project, ["pdf", "epub", "html"], out)
    return out


@pytest.fixture(scope="session")
def english_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All three editions of the two-chapter English test book (tests/projects/english)."""
    from kzpublish import build
    project = copy_project(PROJECTS / "english", tmp_path_factory.mktemp("english-build"))
    out = project / "out"
    build(project, ["pdf", "epub", "html"], out)
    return out
