"""User-facing errors: positions for undecodable files, one line for kzpublish's own bugs."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpublish import cli, config
from kzpublish.errors import ConfigError, ManuscriptError, read_text


def test_a_file_that_is_not_utf8_is_an_error_at_its_first_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "ch.md"
    path.write_bytes("Привет\nмир \xff!\n".encode().replace(b"\xc3\xbf", b"\xff"))
    with pytest.raises(ManuscriptError) as caught:
        read_text(path, ManuscriptError)
    assert str(caught.value) == (f"{path}:2:5: error: not UTF-8 text (invalid start byte) — "
                                 "save the file as UTF-8")


def test_book_toml_that_is_not_utf8(tmp_path: Path) -> None:
    manuscript = tmp_path / "manuscript"
    manuscript.mkdir()
    (manuscript / "book.toml").write_bytes(b'title = "Caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"book.toml:1:13: error: not UTF-8"):
        config.load(tmp_path)


def test_a_bug_is_one_line_without_debug(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    def broken(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setitem(cli.COMMANDS, "check", broken)
    assert cli.main(["check", "."]) == 1
    assert capsys.readouterr().err == ("kzpublish: error: internal error (RuntimeError: boom) "
                                       "— rerun with --debug for the traceback and report it\n")
    with pytest.raises(RuntimeError):
        cli.main(["--debug", "check", "."])
