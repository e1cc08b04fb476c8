"""A character no font of the book sets is a warning at its first place in the sources
(``glyphs``): WeasyPrint would set it in a machine's font without a word."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kzpublish import assets, cache, config, fonts, glyphs, incremental, pipeline, reader
from tests.conftest import PROJECTS, REPO

ARMENIAN = "Բարեւ"
"""A word in a script no vendored font has (asserted below, from the cmaps)."""
FIX = "add a font that has {} to styles/fonts/ (see README) or replace the {}"


def small_book(folder: Path, chapter: str,
               references: list[dict[str, object]] | None = None) -> Path:
    """A book of one chapter (``ch.md``) in FOLDER, its references in refs.json."""
    manuscript = folder / "manuscript"
    manuscript.mkdir(parents=True)
    (manuscript / "ch.md").write_text(chapter, encoding="utf-8")
    (manuscript / "refs.json").write_text(json.dumps(references or []), encoding="utf-8")
    (manuscript / "book.toml").write_text(
        'title = "Glyphs"\nauthors = []\nlanguage = "en"\nchapters = ["ch.md"]\n'
        'bibliography = "refs.json"\ncsl = "apa"\n', encoding="utf-8")
    return folder


def _found(project: Path) -> list[str]:
    settings = config.load(project)
    return [str(warning) for warning in glyphs.missing(settings, reader.read(settings))]


def _text(what: str, one: bool = True) -> str:
    it, character = ("it", "character") if one else ("them", "characters")
    return (f"{what} in none of the book's fonts (Noto Serif) — the PDF sets {it} in a "
            f"system font; {FIX.format(it, character)}")


def test_no_vendored_font_has_the_test_characters() -> None:
    every = frozenset().union(*(fonts.charset(font) for font in
                                assets.fonts(Path("/nonexistent"))))
    assert not {ord(char) for char in ARMENIAN + "Ա"} & every
    assert ord("ﬁ") in every and ord("─") in every  # in some fonts, not in others (below)


def test_a_word_and_a_character_the_fonts_lack_are_warned_where_written(
        tmp_path: Path) -> None:
    project = small_book(tmp_path, f"# Title\n\nA word, {ARMENIAN}, and Ա.\n\nAgain {ARMENIAN} "
                              "and Ա: said once.\n")
    chapter = project / "manuscript" / "ch.md"
    assert _found(project) == [
        f"{chapter}:3:9: warning: " + _text(
            f"'{ARMENIAN}' (U+0532 U+0561 U+0580 U+0565 U+0582) are", one=False),
        f"{chapter}:3:20: warning: " + _text("'Ա' (U+0531) is")]


def test_code_is_checked_against_the_code_font(tmp_path: Path) -> None:
    """ﬁ is in Noto Serif, not in Noto Sans Mono; ─ the other way round."""
    project = small_book(tmp_path, "Prose ﬁne.\n\n```\nco─de ﬁle\n```\n\nAnd ─ in prose.\n")
    chapter = project / "manuscript" / "ch.md"
    assert _found(project) == [
        f"{chapter}:4:7: warning: 'ﬁ' (U+FB01) in code is not in the book's code font "
        "(Noto Sans Mono), only in Noto Sans, Noto Serif — the PDF sets it in a font the "
        "machine picks; name a font that has it in base.css's code, pre font-family (see "
        "README) or replace the character",
        f"{chapter}:7:5: warning: '─' (U+2500) is not in the book's text font (Noto Serif), "
        "only in Noto Sans Mono — the PDF sets it in a font the machine picks; name a font "
        "that has it in base.css's html font-family (see README) or replace the character"]


def test_formulas_are_checked_against_the_math_font(tmp_path: Path) -> None:
    """⪻ is in STIX Two Math only: fine in a formula, missing in prose."""
    project = small_book(tmp_path, "Math $a ⪻ b + Ա$.\n\nProse ⪻.\n")
    chapter = project / "manuscript" / "ch.md"
    assert _found(project) == [
        f"{chapter}:1:15: warning: 'Ա' (U+0531) in a formula is not in the math font "
        "(STIXTwo Math) — the PDF draws a missing-glyph box for it; replace the character "
        "or write it outside the formula",
        f"{chapter}:3:7: warning: " + _text("'⪻' (U+2ABB) is")]


def test_spaces_controls_and_markup_are_not_characters_to_set(tmp_path: Path) -> None:
    project = small_book(tmp_path, "A\u00a0b\u200bc\u00adfe\ufe0f <!-- Ա --> "
                              '<span title="Ա">x</span>\n')
    assert [w for w in _found(project) if "U+0531" in w] == []


def test_the_title_and_listed_references_point_at_their_files(tmp_path: Path) -> None:
    references = [{"id": "arm", "type": "book", "title": "Ա Ⴁ title"},
                  {"id": "unused", "type": "book", "title": "Ⴂ"}]
    project = small_book(tmp_path, "Text [@arm].\n", references)
    toml = project / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"Glyphs"', '"Ⴀ"'),
                    encoding="utf-8")
    refs = project / "manuscript" / "refs.json"
    assert _found(project) == [
        f"{toml}:1:1: warning: " + _text("'Ⴀ' (U+10A0) is"),
        f"{refs}:1:10: warning: reference 'arm': " + _text("'ԱႡ' (U+0531 U+10A1) are",
                                                          one=False)]


def _with_font_for(project: Path, family_list: str) -> None:
    """The project's own font (here: STIX Two Math, which has ⪻) named ``Extra``."""
    fonts_dir = project / "styles" / "fonts"
    fonts_dir.mkdir(parents=True)
    shutil.copyfile(assets.BUILTIN_STYLES / "fonts" / assets.MATH_FONT,
                    fonts_dir / "Extra-Regular.ttf")
    base = (assets.BUILTIN_STYLES / "base.css").read_text(encoding="utf-8")
    (project / "styles" / "base.css").write_text(
        base + f"\nbody {{ font-family: {family_list}; }}\n", encoding="utf-8")


def test_a_project_font_counts_once_the_stylesheet_names_it(tmp_path: Path) -> None:
    project = small_book(tmp_path, "Prose ⪻.\n")
    _with_font_for(project, '"Noto Serif", "Extra", serif')
    assert _found(project) == []


def test_a_project_font_the_stylesheet_does_not_name_sets_nothing(tmp_path: Path) -> None:
    """Whether fontconfig falls back to it or to a machine font, the machine decides."""
    project = small_book(tmp_path, "Prose ⪻.\n")
    _with_font_for(project, '"Noto Serif", serif')
    assert [warning.split(" — ")[0].split("warning: ")[1] for warning in _found(project)] == [
        "'⪻' (U+2ABB) is not in the book's text font (Noto Serif), only in Extra"]


def test_text_set_in_machine_fonts_on_purpose_is_not_checked(tmp_path: Path) -> None:
    project = small_book(tmp_path, "Prose ⪻ Ա.\n")
    _with_font_for(project, '"DejaVu Serif", serif')
    assert _found(project) == []


def test_check_and_build_say_it_and_a_new_font_is_seen(tmp_path: Path) -> None:
    project = small_book(tmp_path, "Prose ⪻.\n")
    assert [w.message for w in pipeline.check(project) if "U+2ABB" in w.message]
    settings = config.load(project)
    store = cache.Store(tmp_path / "cache", project)
    first = incremental.glyph_warnings(reader.read(settings), settings, store)
    assert len(first) == 1
    assert incremental.glyph_warnings(reader.read(settings), settings, store) == first
    _with_font_for(project, '"Noto Serif", "Extra", serif')
    assert incremental.glyph_warnings(reader.read(settings), settings, store) == []
    result = pipeline.run(project, ["html"], tmp_path / "out")
    assert not [w for w in result.warnings if "U+2ABB" in w.message]


@pytest.mark.parametrize("project", [REPO, *sorted(PROJECTS.iterdir())],
                         ids=lambda path: path.name)
def test_the_demo_and_test_books_have_no_such_characters(project: Path) -> None:
    assert _found(project) == []  # read only


def test_the_stylesheet_gives_the_families() -> None:
    css = ('/* body { font-family: X } */ html { font-family: "A", serif; }\n'
           "pre.sourceCode, p > code { color: red; font-family: 'M', monospace !important }\n"
           "h1 { font-family: H } body { font-family: B, A; } :root { font-family: R }")
    assert glyphs._declared(css) == {glyphs.TEXT: ["B", "A"], glyphs.CODE: ["M", "monospace"]}


def test_the_font_shorthand_and_media_rules_give_families_too() -> None:
    css = ('@media print { body { font: italic 11pt/1.4 "Noto Serif", serif; } }\n'
           "code { font: caption; } pre { font: 9pt Mono; }\n"
           'html { content: "}"; font-family: Q }')
    assert glyphs._declared(css) == {glyphs.TEXT: ["Noto Serif", "serif"],
                                     glyphs.CODE: ["Mono"]}
