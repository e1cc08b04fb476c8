"""What a project stylesheet holds that the editions would not apply (``project_styles``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzpublish import project_styles, scaffold
from kzpublish.assets import BUILTIN_STYLES, STYLESHEETS
from kzpublish.cli import main

OLD_PRINT = "@page { size: A5; }\n.title-page { text-align: center; }\n"
"""Stands for a print.css an earlier kzpublish shipped (its digest is made known)."""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new project, with OLD_PRINT known as a shipped print.css."""
    known = project_styles.shipped()
    known["print.css"] = [project_styles.digest(OLD_PRINT), *known["print.css"]]
    shipped = tmp_path / "shipped.json"
    shipped.write_text(json.dumps(known), encoding="utf-8")
    monkeypatch.setattr(project_styles, "SHIPPED", shipped)
    return scaffold.create(tmp_path / "book")


def test_every_default_as_shipped_today_is_recorded() -> None:
    known = project_styles.shipped()
    for name in STYLESHEETS:
        text = (BUILTIN_STYLES / name).read_text(encoding="utf-8")
        assert project_styles.digest(text) in known[name], (
            f"{name} changed: run `python tools/style_digests.py` to record it")


def test_the_history_of_the_defaults_is_recorded() -> None:
    assert len(project_styles.shipped()["print.css"]) >= 8


def test_a_fresh_copy_of_the_defaults_says_nothing(project: Path) -> None:
    assert project_styles.warnings(project) == []


def test_an_older_default_left_unedited_is_a_warning_at_its_file(project: Path) -> None:
    (project / "styles" / "print.css").write_text(OLD_PRINT, encoding="utf-8")
    [warning] = project_styles.warnings(project)
    assert str(warning).startswith(f"{project / 'styles' / 'print.css'}:1:1: warning: "
                                   "an unedited copy of an older kzpublish default print.css")
    assert "delete it to use today's default" in warning.message


def test_windows_line_ends_do_not_hide_it(project: Path) -> None:
    (project / "styles" / "print.css").write_bytes(OLD_PRINT.replace("\n", "\r\n").encode())
    assert len(project_styles.warnings(project)) == 1


def test_an_edited_copy_is_the_authors_own(project: Path) -> None:
    (project / "styles" / "print.css").write_text(OLD_PRINT + "p { color: red; }\n",
                                                  encoding="utf-8")
    assert project_styles.warnings(project) == []


def test_a_link_to_the_built_in_file_is_today_s_default(project: Path) -> None:
    local = project / "styles" / "print.css"
    local.unlink()
    local.symlink_to(BUILTIN_STYLES / "print.css")
    assert project_styles.warnings(project) == []


def test_check_and_build_say_it(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "styles" / "print.css").write_text(OLD_PRINT, encoding="utf-8")
    assert main(["check", str(project)]) == 0
    assert "styles/print.css:1:1: warning: an unedited copy" in capsys.readouterr().err
    assert main(["build", str(project), "--format", "html"]) == 0
    assert "styles/print.css:1:1: warning: an unedited copy" in capsys.readouterr().err


def test_an_import_is_a_warning_at_it(project: Path) -> None:
    """The editions put the fonts' rules first: an @import after them is dropped."""
    base = project / "styles" / "base.css"
    base.write_text('/* @import "old.css"; */\n@import "extra.css";\n'
                    + base.read_text(encoding="utf-8"), encoding="utf-8")
    [warning] = project_styles.warnings(project)
    assert str(warning) == (
        f"{base}:2:1: warning: @import is not applied: each edition joins the fonts' rules "
        "and its stylesheets into one, where an @import after other rules is dropped — copy "
        "the imported rules into styles/base.css")
