"""The command line as users and the acceptance tests drive it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kzpublish.cli import main


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kzpublish", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)


def test_check_passes_on_the_demo(seed_project: Path) -> None:
    result = _run("check", str(seed_project))
    assert (result.returncode, result.stderr) == (0, "")


def test_check_names_file_line_column_and_key(seed_project: Path) -> None:
    chapter = seed_project / "manuscript" / "essay.md"
    lines = chapter.read_text(encoding="utf-8").splitlines()
    chapter.write_text("\n".join([*lines, "", "Новый абзац [@nosuchkey]."]) + "\n",
                       encoding="utf-8")
    result = _run("check", str(seed_project))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{chapter}:{len(lines) + 2}:14: error: unknown citation key 'nosuchkey' — "
        "add it to references.json or fix the key"]
    assert "Traceback" not in result.stderr


def test_build_fails_the_same_way_without_writing(seed_project: Path) -> None:
    chapter = seed_project / "manuscript" / "essay.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n[@lemon2081]\n",
                       encoding="utf-8")
    result = _run("build", str(seed_project))
    assert result.returncode == 1
    assert "unknown citation key 'lemon2081' (did you mean 'lemon2018'?)" in result.stderr
    assert not (seed_project / "build").exists()


def test_debug_shows_the_traceback(seed_project: Path) -> None:
    (seed_project / "manuscript" / "book.toml").write_text("title = 1\n", encoding="utf-8")
    assert "Traceback" not in _run("check", str(seed_project)).stderr
    assert "Traceback" in _run("--debug", "check", str(seed_project)).stderr


def test_config_errors_are_all_reported(seed_project: Path) -> None:
    toml = seed_project / "manuscript" / "book.toml"
    text = toml.read_text(encoding="utf-8").replace('language = "ru"', "language = 7")
    toml.write_text('colour = "red"\n' + text + 'colour = "blue"\n', encoding="utf-8")
    result = _run("build", str(seed_project))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{toml}:1:1: error: unknown key 'colour' — use one of: authors, bibliography, "
        "chapters, cover, csl, date, entry-language, identifier, keywords, language, lof, lot, "
        "nocite, number-sections, number-within-chapters, pdf, references-per-chapter, slug, "
        "subject, subtitle, title, toc-depth, version",
        f"{toml}:7:1: error: bad value for 'language' — it must be a BCP 47 tag such as "
        '"ru" or "en-GB"',
        f"{toml}:17:1: error: unknown key [pdf] 'colour' — use one of: page-size"]


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["build", "--format", "docx"])
    assert caught.value.code == 2


def test_new_then_build(tmp_path: Path) -> None:
    project = tmp_path / "my-first-book"
    assert main(["new", str(project)]) == 0
    for path in ("manuscript/book.toml", "manuscript/references.json", "styles/print.css",
                 "styles/html.css", "csl"):
        assert (project / path).exists(), path
    assert main(["check", str(project)]) == 0
    out = tmp_path / "out"
    assert main(["build", str(project), "--output", str(out), "-q"]) == 0
    assert [p.name for p in out.glob("*.pdf")] == ["my-first-book.pdf"]
    assert [p.name for p in out.glob("*.epub")] == ["my-first-book.epub"]
    assert "My First Book" in (out / "html" / "index.html").read_text(encoding="utf-8")
    references = (out / "html" / "ch02.html").read_text(encoding="utf-8")  # "# References"
    assert 'id="ref-knuth1984"' in references


def test_a_jpeg_cover_goes_into_the_epub_as_a_jpeg(tmp_path: Path) -> None:
    """epubcheck: a JPEG cover stored as cover.png with image/png is an error (OPF-029)."""
    import io
    import zipfile

    from PIL import Image
    project = tmp_path / "book"
    assert main(["new", str(project)]) == 0
    image = io.BytesIO()
    Image.new("RGB", (60, 90), "navy").save(image, format="JPEG")
    (project / "manuscript" / "front.jpg").write_bytes(image.getvalue())
    toml = project / "manuscript" / "book.toml"
    toml.write_text('cover = "front.jpg"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(project), "-o", str(out), "-f", "epub", "-q"]) == 0
    with zipfile.ZipFile(out / "book.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode()
        assert epub.read("EPUB/cover.jpg") == image.getvalue()
    assert 'href="cover.jpg" id="cover-img" media-type="image/jpeg"' in opf
    assert "cover.png" not in opf


def test_an_image_named_with_spaces_is_a_valid_url_in_the_epub(tmp_path: Path) -> None:
    """epubcheck RSC-020: the manifest gave "fig dir/my chart é.png" as its href."""
    import zipfile

    from PIL import Image
    project = tmp_path / "book"
    assert main(["new", str(project)]) == 0
    (project / "manuscript" / "fig dir").mkdir()
    Image.new("RGB", (40, 20), "teal").save(project / "manuscript" / "fig dir" / "my chart é.png")
    chapter = project / "manuscript" / "01-introduction.md"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + "\n![A chart](<fig dir/my chart é.png>)\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(project), "-o", str(out), "-f", "epub", "-q"]) == 0
    with zipfile.ZipFile(out / "book.epub") as epub:
        assert "EPUB/fig dir/my chart é.png" in epub.namelist()
        assert 'href="fig%20dir/my%20chart%20%C3%A9.png"' in epub.read("EPUB/content.opf").decode()


@pytest.mark.parametrize(("language", "headings"), [
    ("ru", ["Введение", "Список литературы"]), ("uk", ["Вступ", "Список літератури"]),
    ("kk", ["Кіріспе", "Пайдаланылған әдебиеттер"]), ("de-AT", ["Einleitung", "Literatur"]),
    ("fr", ["Introduction", "Bibliographie"]), ("es", ["Introduction", "References"])])
def test_new_writes_the_starter_in_the_book_s_language(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], language: str,
        headings: list[str]) -> None:
    """``new --language ru`` wrote an English chapter ("# Introduction", "# References");
    now the sample is in the languages kzpublish has words for (English otherwise), its
    reference list under the heading the editions' contents use, and it checks clean."""
    project = tmp_path / "book"
    assert main(["new", str(project), "--language", language]) == 0
    chapter = (project / "manuscript" / "01-introduction.md").read_text(encoding="utf-8")
    assert [line[2:].removesuffix(" {#refs}") for line in chapter.splitlines()
            if line.startswith("# ")] == headings
    assert ("Write in Markdown" in chapter) == (language == "es")
    capsys.readouterr()
    assert main(["check", str(project)]) == 0
    assert capsys.readouterr().err == ""


def test_a_starter_in_kazakh_builds_every_edition_without_a_warning(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Kazakh's letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і) are the rarest a starter prints: the
    fonts have each (else ``glyphs`` warns), in the PDF, the EPUB and the HTML."""
    project = tmp_path / "kitap"
    main(["new", str(project), "--language", "kk"])
    capsys.readouterr()
    assert main(["build", str(project), "--output", str(tmp_path / "out")]) == 0
    assert "3 edition(s), 3 written, 0 warning(s)" in capsys.readouterr().out
    page = (tmp_path / "out" / "html" / "ch02.html").read_text(encoding="utf-8")
    assert 'id="ref-knuth1984"' in page and "Пайдаланылған әдебиеттер" in page


def test_new_uses_the_project_styles(tmp_path: Path) -> None:
    project = tmp_path / "styled"
    main(["new", str(project)])
    (project / "styles" / "html.css").write_text("main { color: rebeccapurple; }\n")
    main(["build", str(project), "--format", "html", "-q"])
    assert "rebeccapurple" in (project / "build" / "html" / "book.css").read_text()


def test_new_refuses_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["new", str(tmp_path)]) == 1


def test_check_warns_about_uncited_references(seed_project: Path) -> None:
    chapter = seed_project / "manuscript" / "essay.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("@lemon2018", "Лемон"),
                       encoding="utf-8")
    references = seed_project / "manuscript" / "references.json"
    line = next(number for number, text in enumerate(
        references.read_text(encoding="utf-8").splitlines(), 1) if '"lemon2018"' in text)
    result = _run("check", str(seed_project))
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"{references}:{line}:11: warning: reference 'lemon2018' is never cited — "
        "cite it, add it to nocite or remove it"]
    assert _run("check", "--strict", str(seed_project)).returncode == 1


def test_several_bibliographies_in_several_formats_and_nocite(tmp_path: Path) -> None:
    project = tmp_path / "mixed"
    main(["new", str(project)])
    data = Path(__file__).resolve().parents[1] / "unit" / "data"
    for name in ("sample.bib", "sample.yaml"):
        (project / "manuscript" / name).write_bytes((data / name).read_bytes())
    toml = project / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'bibliography = "references.json"',
        'bibliography = ["references.json", "sample.bib", "sample.yaml"]\n'
        'nocite = ["tolstoy1869"]'), encoding="utf-8")
    chapter = project / "manuscript" / "01-introduction.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "# References {#refs}", "See also [@goedel1931, p. 175; @lemon2018].\n\n"
        "# References {#refs}"), encoding="utf-8")
    result = _run("check", str(project))
    assert result.returncode == 0
    assert "warning: reference 'knuth1981' is never cited" in result.stderr
    assert "tolstoy1869" not in result.stderr  # listed through nocite
    assert main(["build", str(project), "--format", "html", "-q"]) == 0
    page = (project / "build" / "html" / "ch02.html").read_text(encoding="utf-8")  # References
    for key in ("goedel1931", "lemon2018", "tolstoy1869", "knuth1984"):
        assert f'id="ref-{key}"' in page, key
    assert 'id="ref-knuth1981"' not in page
    assert "Gödel" in page and "Толстой" in page


def test_unknown_style_and_nocite_point_at_their_lines(seed_project: Path) -> None:
    toml = seed_project / "manuscript" / "book.toml"
    original = toml.read_text(encoding="utf-8")
    line = original.splitlines().index('csl = "essay-author-date"') + 1
    toml.write_text(original.replace('csl = "essay-author-date"', 'csl = "no-such-style"'),
                    encoding="utf-8")
    result = _run("build", str(seed_project))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{toml}:{line}:1: error: no CSL style 'no-such-style'")
    toml.write_text(original.replace('csl = "essay-author-date"',
                                     'csl = "essay-author-date"\nnocite = ["ghost2020"]'),
                    encoding="utf-8")
    result = _run("check", str(seed_project))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{toml}:{line + 1}:1: error: nocite names unknown "
                                    "reference 'ghost2020'")


def test_a_bad_source_date_epoch_is_a_clear_error(seed_project: Path) -> None:
    import os
    env = {**os.environ, "SOURCE_DATE_EPOCH": "yesterday"}
    result = subprocess.run([sys.executable, "-m", "kzpublish", "build", str(seed_project),
                             "-f", "pdf", "--no-cache"], capture_output=True, text=True,
                            check=False, env=env)
    assert result.returncode == 1
    assert "SOURCE_DATE_EPOCH: error: 'yesterday' is not a number of seconds" in result.stderr
    assert "Traceback" not in result.stderr
