"""Bad input: each case is one error line at its place, exit 1, no traceback, OUT unchanged.

Every case starts from a copy of a project whose HTML edition was built (a good build),
breaks one thing, builds again in process through the CLI, and checks what the user sees
(``FILE[:LINE[:COL]]: error: …``, exactly one error line and nothing else but warnings)
and that the output folder holds the same files, bytes and times as before.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kzpublish import cli
from tests.conftest import PROJECTS
from tests.robust.snapshot import snapshot

Mutation = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One way to break the project, and where the error must point."""

    name: str
    mutate: Mutation
    file: str
    """The end of the path the error names."""
    line: bool = True
    """The error must give a line number."""
    fmt: str = "html"


def _manuscript(project: Path) -> Path:
    return project / "manuscript"


def _toml_key(key: str, value: str) -> Mutation:
    """book.toml with KEY set to the TOML text VALUE (replaced, or added at the top)."""
    def mutate(project: Path) -> None:
        file = _manuscript(project) / "book.toml"
        lines = file.read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if not re.match(rf"{re.escape(key)}\s*=", line)]
        file.write_text(f"{key} = {value}\n" + "\n".join(kept) + "\n", encoding="utf-8")
    return mutate


def _pdf_key(key: str, value: str) -> Mutation:
    def mutate(project: Path) -> None:
        file = _manuscript(project) / "book.toml"
        text = file.read_text(encoding="utf-8")
        file.write_text(re.sub(r"page-size = .*", f"{key} = {value}", text), encoding="utf-8")
    return mutate


def _write(name: str, data: bytes | str) -> Mutation:
    def mutate(project: Path) -> None:
        target = _manuscript(project) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            target.write_text(data, encoding="utf-8")
        else:
            target.write_bytes(data)
    return mutate


def _both(*mutations: Mutation) -> Mutation:
    def mutate(project: Path) -> None:
        for mutation in mutations:
            mutation(project)
    return mutate


def _append(name: str, text: str) -> Mutation:
    def mutate(project: Path) -> None:
        target = _manuscript(project) / name
        target.write_text(target.read_text(encoding="utf-8") + text, encoding="utf-8")
    return mutate


def _delete(name: str) -> Mutation:
    return lambda project: (_manuscript(project) / name).unlink()


def _json_refs(text: str) -> Mutation:
    return _write("references.json", text)


def _extra_ref(text: str) -> Mutation:
    """references.json with one more item, written as TEXT (raw JSON), on a line of its own."""
    def mutate(project: Path) -> None:
        file = _manuscript(project) / "references.json"
        listed = file.read_text(encoding="utf-8").rstrip()
        assert listed.endswith("]")
        file.write_text(listed[:-1].rstrip() + ",\n  " + text + "\n]\n", encoding="utf-8")
    return mutate


def _ref(**fields: str) -> Mutation:
    """One more reference, "extra", with FIELDS (raw JSON values)."""
    extra = "".join(f', "{key}": {value}' for key, value in fields.items())
    return _extra_ref('{"id": "extra", "type": "book", "title": "T"' + extra + "}")


def _bibliography(name: str, text: str | bytes) -> Mutation:
    """A second bibliography file NAME holding TEXT."""
    return _both(_write(name, text), _toml_key("bibliography", f'["references.json", "{name}"]'))


def _png(width: int, height: int) -> bytes:
    """A valid PNG header claiming WIDTH×HEIGHT, with one row of image data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\0" * (width + 1))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


TOML_CASES = [
    Case("toml-syntax", _write("book.toml", 'title = "unclosed\n'), "book.toml"),
    Case("toml-duplicate-key", _append("book.toml", 'title = "again"\n'), "book.toml"),
    Case("toml-not-utf8", _write("book.toml", b'title = "\xff\xfe"\n'), "book.toml"),
    Case("toml-binary", _write("book.toml", b"\x00\x01\x02\x89PNG"), "book.toml"),
    Case("toml-missing", _delete("book.toml"), "book.toml", line=False),
    Case("toml-unknown-key", _toml_key("colour", '"red"'), "book.toml"),
    Case("title-number", _toml_key("title", "1"), "book.toml"),
    Case("title-empty", _toml_key("title", '""'), "book.toml"),
    Case("title-table", _toml_key("title", "{a = 1}"), "book.toml"),
    Case("authors-string", _toml_key("authors", '"Ada"'), "book.toml"),
    Case("authors-numbers", _toml_key("authors", "[1, 2]"), "book.toml"),
    Case("language-number", _toml_key("language", "5"), "book.toml"),
    Case("language-bad-tag", _toml_key("language", '"not a tag!"'), "book.toml"),
    Case("date-word", _toml_key("date", '"yesterday"'), "book.toml"),
    Case("date-number", _toml_key("date", "2025"), "book.toml"),
    Case("date-impossible", _toml_key("date", '"2025-13-45"'), "book.toml"),
    Case("chapters-empty", _toml_key("chapters", "[]"), "book.toml"),
    Case("chapters-string", _toml_key("chapters", '"01-metal.md"'), "book.toml"),
    Case("chapters-numbers", _toml_key("chapters", "[1]"), "book.toml"),
    Case("chapters-missing-file", _toml_key("chapters", '["nowhere.md"]'), "book.toml"),
    Case("bibliography-number", _toml_key("bibliography", "3"), "book.toml"),
    Case("bibliography-missing-file", _toml_key("bibliography", '"gone.json"'), "book.toml"),
    Case("csl-number", _toml_key("csl", "3"), "book.toml"),
    Case("csl-unknown-style", _toml_key("csl", '"no-such-style-anywhere"'), "book.toml"),
    Case("nocite-number", _toml_key("nocite", "5"), "book.toml"),
    Case("subject-list", _toml_key("subject", "[]"), "book.toml"),
    Case("keywords-string", _toml_key("keywords", '"a"'), "book.toml"),
    Case("references-per-chapter-string", _toml_key("references-per-chapter", '"yes"'),
         "book.toml"),
    Case("entry-language-unknown", _toml_key("entry-language", '"mine"'), "book.toml"),
    Case("identifier-number", _toml_key("identifier", "1"), "book.toml"),
    Case("version-float", _toml_key("version", "1.0"), "book.toml"),
    Case("slug-spaces", _toml_key("slug", '"Bad Slug"'), "book.toml"),
    Case("cover-number", _toml_key("cover", "1"), "book.toml"),
    Case("cover-missing-file", _toml_key("cover", '"nowhere.png"'), "book.toml"),
    Case("pdf-string", _toml_key("pdf", '"A4"'), "book.toml"),
    Case("pdf-page-size-unknown", _pdf_key("page-size", '"B9"'), "book.toml"),
    Case("pdf-page-size-number", _pdf_key("page-size", "4"), "book.toml"),
    Case("pdf-unknown-key", _pdf_key("colour", '"x"'), "book.toml"),
]

CHAPTER_CASES = [
    Case("chapter-not-utf8", _write("01-metal.md", b"# T\n\ncaf\xe9\n"), "01-metal.md"),
    Case("chapter-binary", _write("01-metal.md", b"\x89PNG\r\n\x1a\n\x00\xff\xfe" * 50),
         "01-metal.md"),
    Case("chapter-unknown-key", _append("02-screen.md", "\nSee [@nobody2000].\n"),
         "02-screen.md"),
    Case("chapter-unknown-narrative-key", _append("02-screen.md", "\nAs @nobody2000 says.\n"),
         "02-screen.md"),
    Case("image-missing", _append("02-screen.md", "\n![A chart](images/none.png)\n"),
         "02-screen.md"),
    Case("image-remote", _append("02-screen.md", "\n![A chart](https://example.org/a.png)\n"),
         "02-screen.md"),
    Case("image-unknown-type", _both(_write("images/a.bmp", b"BM"),
                                      _append("02-screen.md", "\n![A chart](images/a.bmp)\n")),
         "02-screen.md"),
]

BIBLIOGRAPHY_CASES = [
    Case("csl-json-syntax", _json_refs('[{"id": "x",'), "references.json"),
    Case("csl-json-object", _json_refs('{"id": "x"}'), "references.json"),
    Case("csl-json-numbers", _json_refs("[1, 2]"), "references.json"),
    Case("csl-json-no-id", _json_refs('[{"type": "book", "title": "T"}]'), "references.json"),
    Case("csl-json-id-list", _extra_ref('{"id": [5], "type": "book"}'), "references.json"),
    Case("csl-json-duplicate-id", _extra_ref('{"id": "knuth1981", "type": "book"}'),
         "references.json"),
    Case("csl-json-issued-day-40", _ref(issued='{"date-parts": [[2020, 5, 40]]}'),
         "references.json"),
    Case("csl-json-issued-parts-string", _ref(issued='{"date-parts": "x"}'), "references.json"),
    Case("csl-json-issued-parts-words", _ref(issued='{"date-parts": [["May"]]}'),
         "references.json"),
    Case("csl-json-issued-list", _ref(issued='["1979"]'), "references.json"),
    Case("csl-json-accessed-day-40", _ref(accessed='{"date-parts": [[2020, 5, 40]]}'),
         "references.json"),
    Case("csl-json-author-string", _ref(author='"Ada"'), "references.json"),
    Case("csl-json-author-numbers", _ref(author="[1]"), "references.json"),
    Case("csl-json-title-list", _ref(title='["a"]'), "references.json"),
    Case("csl-json-not-utf8", _write("references.json", b'[{"id": "caf\xe9"}]'),
         "references.json"),
    Case("csl-json-empty-file", _json_refs(""), "references.json"),
    Case("csl-yaml-syntax", _bibliography("refs.yaml", "- id: [unclosed\n"), "refs.yaml"),
    Case("csl-yaml-mapping", _bibliography("refs.yaml", "id: x\n"), "refs.yaml"),
    Case("csl-yaml-no-id", _bibliography("refs.yaml", "- type: book\n  title: T\n"),
         "refs.yaml"),
    Case("csl-yaml-issued-day-40", _bibliography(
        "refs.yaml", "- id: extra\n  type: book\n  issued:\n    date-parts: [[2020, 5, 40]]\n"),
         "refs.yaml"),
    Case("csl-yaml-not-utf8", _bibliography("refs.yaml", b"- id: caf\xe9\n"), "refs.yaml"),
    Case("bibtex-unclosed", _bibliography("refs.bib", "@book{extra,\n  title = {T\n"),
         "refs.bib"),
    Case("bibtex-no-key", _bibliography("refs.bib", "@book{,\n  title = {T},\n}\n"), "refs.bib"),
    Case("bibtex-not-utf8", _bibliography("refs.bib", b"@book{a,\n  title = {caf\xe9},\n}\n"),
         "refs.bib"),
    Case("bibliography-unknown-type", _bibliography("refs.txt", "x"), "refs.txt", line=False),
    Case("bibtex-duplicate-id", _bibliography("refs.bib", "@book{knuth1981,\n  title = {T},\n}\n"),
         "refs.bib"),
    Case("csl-file-bad-xml", _both(_write("../style.csl", "<style><unclosed"),
                                   _toml_key("csl", '"style.csl"')), "style.csl"),
    Case("csl-file-not-a-style", _both(_write("../style.csl", "<html/>"),
                                       _toml_key("csl", '"style.csl"')), "style.csl"),
]

IMAGE_CASES = [
    Case("image-corrupt", _write("images/editions.png", b"\x89PNG\r\n\x1a\nnot really"),
         "01-metal.md", fmt="pdf"),
    Case("image-bomb", _write("images/editions.png", _png(20000, 20000)), "01-metal.md",
         fmt="pdf"),
    Case("image-truncated", _write("images/editions.png", _png(40, 40)[:-20]), "01-metal.md"),
    Case("image-empty", _write("images/editions.png", b""), "01-metal.md"),
    Case("image-jpeg-garbage", _both(_write("images/a.jpg", b"\xff\xd8\xff" + b"\0" * 64),
                                     _append("02-screen.md", "\n![A chart](images/a.jpg)\n")),
         "02-screen.md"),
    Case("svg-not-xml", _both(_write("images/a.svg", "<svg><g></svg>"),
                              _append("02-screen.md", "\n![A chart](images/a.svg)\n")),
         "02-screen.md"),
    Case("svg-external-entity", _both(
        _write("images/a.svg", '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM '
               '"file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">'
               "<text>&x;</text></svg>"),
        _append("02-screen.md", "\n![A chart](images/a.svg)\n")), "02-screen.md"),
    Case("svg-billion-laughs", _both(
        _write("images/a.svg", '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
               + "".join(f'<!ENTITY {chr(98 + n)} "' + f"&{chr(97 + n)};" * 10 + '">'
                         for n in range(8))
               + ']><svg xmlns="http://www.w3.org/2000/svg"><text>&i;</text></svg>'),
        _append("02-screen.md", "\n![A chart](images/a.svg)\n")), "02-screen.md"),
    Case("image-gif-text", _both(_write("images/a.gif", "GIF89a, or so it says"),
                                 _append("02-screen.md", "\n![A chart](images/a.gif)\n")),
         "02-screen.md"),
]

CASES = TOML_CASES + CHAPTER_CASES + BIBLIOGRAPHY_CASES + IMAGE_CASES


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The english sample book with its HTML and PDF editions: the good build to compare to."""
    project = tmp_path_factory.mktemp("good") / "book"
    shutil.copytree(PROJECTS / "english", project)
    assert cli.main(["build", str(project), "--format", "html", "-q"]) == 0
    assert cli.main(["build", str(project), "--format", "pdf", "-q"]) == 0
    return project


def _fresh(built: Path, tmp_path: Path) -> Path:
    project = tmp_path / "book"
    shutil.copytree(built, project)  # copy2: the build's files keep their times
    return project


def _error_line(stderr: str, file: str, line: bool) -> None:
    """STDERR holds one error, at FILE (with a line when LINE), and nothing else but warnings."""
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    errors = [text for text in stderr.splitlines() if ": error: " in text]
    assert len(errors) == 1, stderr
    assert all(": warning: " in text or ": error: " in text for text in stderr.splitlines()), \
        stderr
    where = r":\d+(:\d+)?" if line else r"(:\d+(:\d+)?)?"
    assert re.match(rf"^\S*{re.escape(file)}{where}: error: \S", errors[0]), errors[0]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_one_error_at_its_place(case: Case, built: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    project = _fresh(built, tmp_path)
    before = snapshot(project / "build")
    case.mutate(project)
    capsys.readouterr()
    assert cli.main(["build", str(project), "--format", case.fmt]) == 1
    _error_line(capsys.readouterr().err, case.file, case.line)
    assert snapshot(project / "build") == before


def _build_fails(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert cli.main(["build", str(project), "--format", "all", *args]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    return err


def test_output_an_existing_file(built: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    project = _fresh(built, tmp_path)
    (tmp_path / "a-file").write_text("mine", encoding="utf-8")
    err = _build_fails(project, capsys, "--output", str(tmp_path / "a-file"))
    assert err.startswith(f"{tmp_path / 'a-file'}: error: ")
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "mine"


def test_read_only_output(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    """A folder kzpublish may not write in (simulated: the tests may run as root) is one
    line naming the edition, not the temp file it tried."""
    project = _fresh(built, tmp_path)
    out = tmp_path / "out"
    out.mkdir()

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES),
                              str(out / ".x.pdf.1.abcdefgh.tmp"))
    from kzpublish.writers import atomic
    monkeypatch.setattr(atomic.tempfile, "mkstemp", refused)
    monkeypatch.setattr(atomic.tempfile, "mkdtemp", refused)
    err = _build_fails(project, capsys, "--output", str(out), "--no-cache")
    assert re.match(rf"^{re.escape(str(out))}/\S+\.pdf: error: Permission denied", err), err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("failing", ["write", "replace"])
def test_disk_full_names_the_file_and_changes_nothing(
        failing: str, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """ENOSPC (simulated where the writer writes, or where it renames) is one line naming the
    edition, and leaves every edition as the good build left it, with no temp file."""
    project = _fresh(built, tmp_path)
    _append("02-screen.md", "\nA new sentence.\n")(project)  # every edition is written again
    before = snapshot(project / "build")
    from kzpublish.writers import atomic

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if failing == "write":
        monkeypatch.setattr(atomic.os, "fdopen", full)
    else:
        real = os.replace

        def replace(source: object, target: object) -> None:
            if str(target).endswith(".epub"):
                full()
            real(source, target)  # type: ignore[arg-type]
        monkeypatch.setattr(atomic.os, "replace", replace)
    err = _build_fails(project, capsys, "--no-cache")
    assert re.match(rf"^{re.escape(str(project / 'build'))}/\S+\.(pdf|epub): error: "
                    r"No space left on device", err), err
    assert snapshot(project / "build") == before
