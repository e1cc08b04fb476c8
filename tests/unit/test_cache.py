"""The content-hash cache: keys, the JSON store, the model codec."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kzpublish import cache, codec
from kzpublish.errors import Diagnostic, SourcePos
from kzpublish.model import Book, Chapter, Citation, CiteItem, Heading, Metadata
from kzpublish.pipeline import resolve
from tests.conftest import REPO


def test_digest_separates_its_parts() -> None:
    assert cache.digest("ab", "c") != cache.digest("a", "bc")
    assert cache.digest("a", b"b") == cache.digest(b"a", "b")


def test_tree_digest_sees_names_and_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one")
    first = cache.tree_digest(tmp_path)
    (tmp_path / "a.txt").write_text("two")
    second = cache.tree_digest(tmp_path)
    (tmp_path / "a.txt").rename(tmp_path / "b.txt")
    assert len({first, second, cache.tree_digest(tmp_path)}) == 3
    assert cache.tree_digest(tmp_path / "missing") == cache.digest()


def test_files_lists_every_file_in_order_but_compiled_code(tmp_path: Path) -> None:
    """Nested folders sorted as paths are; a link to a file is that file; ``__pycache__``
    (kzpublish's own folder is listed for every key) and a link to a folder are left out."""
    for name in ("b/z.txt", "b/c/y.txt", "a.txt", "__pycache__/m.pyc", "b/__pycache__/n.pyc"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nothing")
    (tmp_path / "linked").symlink_to(tmp_path / "b")
    assert [path.relative_to(tmp_path).as_posix() for path in cache.files(tmp_path)] == [
        "a.txt", "b/c/y.txt", "b/z.txt", "link.txt"]
    assert cache.files(tmp_path / "a.txt") == cache.files(tmp_path / "missing") == []


def test_store_round_trip_and_miss(tmp_path: Path) -> None:
    store = cache.Store(tmp_path / ".cache")
    assert store.get("kind", "k") is None
    store.put("kind", "k", {"x": [1, "два"]})
    assert store.get("kind", "k") == {"x": [1, "два"]}
    assert cache.Store(None).get("kind", "k") is None


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    store = cache.Store(tmp_path)
    store.put("kind", "k", [1])
    (tmp_path / "kind" / "k.json").write_text("{not json")
    assert store.get("kind", "k") is None


def test_a_disabled_store_writes_nothing(tmp_path: Path) -> None:
    cache.Store(None).put("kind", "k", 1)
    assert list(tmp_path.iterdir()) == []


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    store = cache.Store(tmp_path)
    for number in range(cache.KEEP + 5):
        store.put("kind", f"k{number}", number)
        os.utime(tmp_path / "kind" / f"k{number}.json", (number, number))
    store.put("kind", "last", 0)
    assert len(list((tmp_path / "kind").glob("*.json"))) == cache.KEEP
    assert store.get("kind", "k0") is None and store.get("kind", "last") == 0


def test_environment_is_stable_within_a_process() -> None:
    assert cache.environment() == cache.environment()


def _package(folder: Path) -> tuple[Path, Path]:
    """A package folder like kzpublish's: code, and a vendored font."""
    (folder / "data" / "styles" / "fonts").mkdir(parents=True)
    (folder / "code.py").write_text("x = 1\n")
    font = folder / "data" / "styles" / "fonts" / "Face.ttf"
    font.write_bytes(b"glyphs-1")
    os.utime(font, ns=(1_000_000_000, 1_000_000_000))
    return folder / "code.py", font


def test_the_package_digest_sees_code_by_bytes_and_fonts_by_size_and_mtime(
        tmp_path: Path) -> None:
    """Hashing the 5.5 MB of vendored fonts was a twentieth of an unchanged rebuild: they
    are keyed by size and mtime, the code by its bytes (issue 16)."""
    code, font = _package(tmp_path)
    before = cache.package_digest(tmp_path)
    font.write_bytes(b"glyphs-2")  # the same size, the same mtime: not seen (by design)
    os.utime(font, ns=(1_000_000_000, 1_000_000_000))
    assert cache.package_digest(tmp_path) == before
    os.utime(font, ns=(1_000_000_000, 1_000_000_001))  # a font replaced
    replaced = cache.package_digest(tmp_path)
    font.write_bytes(b"glyphs-22")  # a new size
    os.utime(font, ns=(1_000_000_000, 1_000_000_001))
    resized = cache.package_digest(tmp_path)
    stat = code.stat()
    code.write_text("x = 2\n")  # the code: its bytes, whatever its mtime
    os.utime(code, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert len({before, replaced, resized, cache.package_digest(tmp_path)}) == 4


def _sample() -> Book:
    pos = SourcePos(Path("manuscript/a.md"), 3, 7)
    item = CiteItem("key", pos, prefix="see", locator="12")
    chapter = Chapter("ch01", pos, "Title", "<p>x</p>", (Heading(1, "Title", "title"),),
                      (Citation(1, (item,), narrative=True),), has_own_title=True)
    return Book(Metadata("T", ("A", "B"), "ru", slug="t"), (chapter,), ("key",))


def test_codec_round_trips_the_model() -> None:
    book = _sample()
    data = json.loads(json.dumps(codec.encode(book)))
    assert codec.decode(data) == book
    warning = Diagnostic(SourcePos(Path("r.json"), 2), "never cited", "warning")
    assert codec.decode(json.loads(json.dumps(codec.encode([warning])))) == [warning]


def test_codec_round_trips_the_resolved_demo() -> None:
    _, book = resolve(REPO)
    assert codec.decode(json.loads(json.dumps(codec.encode(book)))) == book


def test_codec_refuses_what_it_does_not_know() -> None:
    with pytest.raises(TypeError):
        codec.encode(object())
    with pytest.raises(ValueError):
        codec.decode({"~type": "Popen", "args": []})
    with pytest.raises(ValueError):
        codec.decode({"~type": "Heading", "level": 1})
