"""book.toml validation: every problem at once, each with its key and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpublish import config
from kzpublish.errors import ConfigError

GOOD = '''title = "Книга"
authors = ["А. Автор"]
language = "ru"
chapters = ["one.md"]
bibliography = "refs.json"
csl = "apa"
'''


def _project(tmp_path: Path, toml: str) -> Path:
    manuscript = tmp_path / "manuscript"
    manuscript.mkdir(parents=True)
    (manuscript / "book.toml").write_text(toml, encoding="utf-8")
    (manuscript / "one.md").write_text("Text.\n", encoding="utf-8")
    (manuscript / "refs.json").write_text("[]", encoding="utf-8")
    return tmp_path


def _errors(tmp_path: Path, toml: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        config.load(_project(tmp_path, toml))
    return [str(d) for d in caught.value.diagnostics]


def test_good_config_loads_with_defaults(tmp_path: Path) -> None:
    loaded = config.load(_project(tmp_path, GOOD))
    assert loaded.title == "Книга"
    assert loaded.authors == ("А. Автор",)
    assert loaded.chapters == (Path("one.md"),)
    assert loaded.pdf.page_size == "A5"
    assert loaded.subtitle == "" and loaded.date == ""


def test_unknown_keys_are_named_with_their_line(tmp_path: Path) -> None:
    errors = _errors(tmp_path, GOOD + 'bibliografy = "x"\n\n[pdf]\npage-sise = "A4"\n')
    book = tmp_path / "manuscript" / "book.toml"
    assert f"{book}:7:1: error: unknown key 'bibliografy'" in errors[0]
    assert f"{book}:10:1: error: unknown key [pdf] 'page-sise'" in errors[1]


def test_every_error_is_reported_at_once(tmp_path: Path) -> None:
    toml = 'title = 3\nauthors = "one"\nlanguage = "русский"\ndate = "2025-13-01"\n'
    errors = _errors(tmp_path, toml)
    text = "\n".join(errors)
    for expected in ("bad value for 'title'", "bad value for 'authors'",
                     "bad value for 'language'", "bad value for 'date'",
                     "missing key 'chapters'", "missing key 'bibliography'", "missing key 'csl'"):
        assert expected in text
    assert len(errors) == 7


def test_missing_files_are_errors(tmp_path: Path) -> None:
    errors = _errors(tmp_path, GOOD.replace('"one.md"', '"one.md", "two.md"'))
    assert len(errors) == 1
    assert ":4:1: error: chapter file 'two.md' not found" in errors[0]


def test_a_cover_must_be_an_image_type_epub_readers_show(tmp_path: Path) -> None:
    errors = _errors(tmp_path / "a", GOOD + 'cover = "scan.tiff"\n')
    assert ":7:1: error: bad value for 'cover' — it must be a PNG, JPEG, GIF, WebP or SVG" \
        in errors[0]
    project = _project(tmp_path / "b", GOOD + 'cover = "Front.JPEG"\n')
    (project / "manuscript" / "Front.JPEG").write_bytes(b"")
    assert config.load(project).cover == "Front.JPEG"


def test_toml_syntax_error_has_a_position(tmp_path: Path) -> None:
    errors = _errors(tmp_path, GOOD + "broken = [\n")
    assert ":8:1: error: not valid TOML (Invalid value)" in errors[0]
    errors = _errors(tmp_path / "b", GOOD.replace('"apa"', "apa"))
    assert ":6:7: error: not valid TOML (Invalid value)" in errors[0]


def test_no_book_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="run 'kzpublish new DIR'"):
        config.load(tmp_path)


def test_the_manuscript_folder_given_as_the_project_names_the_project(tmp_path: Path) -> None:
    """``kzpublish build book/manuscript`` said to start a new project, beside a book.toml."""
    project = _project(tmp_path / "book", GOOD)
    for wrong in (project / "manuscript", project / "manuscript" / "book.toml"):
        with pytest.raises(ConfigError, match=f"give the project folder, {project}, not its"):
            config.load(wrong)
