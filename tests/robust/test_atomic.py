"""writers.atomic: outputs replaced all together or not at all."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from kzpublish.writers import atomic


def _state(folder: Path) -> dict[str, bytes | None]:
    """Every entry under FOLDER: a file's bytes, None for a folder."""
    return {path.relative_to(folder).as_posix(): None if path.is_dir() else path.read_bytes()
            for path in sorted(folder.rglob("*"))}


def _old(folder: Path) -> dict[str, bytes | None]:
    (folder / "book.pdf").write_bytes(b"old pdf")
    (folder / "html").mkdir()
    (folder / "html" / "index.html").write_bytes(b"old page")
    return _state(folder)


def _write_all(folder: Path) -> None:
    atomic.write_bytes(folder / "book.pdf", b"new pdf")
    atomic.write_bytes(folder / "book.epub", b"new epub")
    with atomic.directory(folder / "html") as site:
        (site / "index.html").write_bytes(b"new page")


def test_nothing_moves_before_the_block_ends(tmp_path: Path) -> None:
    old = _old(tmp_path)
    with atomic.staged():
        _write_all(tmp_path)
        assert {name: value for name, value in _state(tmp_path).items()
                if not name.startswith(".")} == old
    assert _state(tmp_path) == {"book.epub": b"new epub", "book.pdf": b"new pdf",
                                "html": None, "html/index.html": b"new page"}


def test_an_error_in_the_block_changes_nothing(tmp_path: Path) -> None:
    old = _old(tmp_path)
    with pytest.raises(KeyboardInterrupt), atomic.staged():
        _write_all(tmp_path)
        raise KeyboardInterrupt
    assert _state(tmp_path) == old


@pytest.mark.parametrize("failing", ["book.epub", "html"])
def test_a_failing_rename_puts_back_what_was_replaced(failing: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    old = _old(tmp_path)
    real = os.replace

    def replace(source: str | Path, target: str | Path) -> None:
        if Path(target).name == failing and ".tmp" in Path(source).name:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(source, target)
    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(OSError) as raised, atomic.staged():
        _write_all(tmp_path)
    assert raised.value.filename == str(tmp_path / failing)
    assert _state(tmp_path) == old


def test_outside_a_block_each_write_lands_at_once(tmp_path: Path) -> None:
    atomic.write_bytes(tmp_path / "a", b"1")
    assert (tmp_path / "a").read_bytes() == b"1"
    atomic.write_bytes(tmp_path / "a", b"2")
    assert _state(tmp_path) == {"a": b"2"}
