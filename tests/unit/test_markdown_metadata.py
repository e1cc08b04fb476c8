"""A chapter's YAML metadata block: metadata, never text; its title names the chapter."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpublish import reader
from kzpublish.errors import ManuscriptError
from tests.conftest import one_chapter_book
from tests.markdown_oracle import warnings_of
from tests.pandoc_oracle import same_shape

YAML = "---\ntitle: \"Methods: *how*\"\nauthor: A. Author\n---\n\nText.\n\n## Section\n"


def test_a_yaml_block_is_no_text_as_in_pandoc(tmp_path: Path) -> None:
    ours, pandoc = same_shape(YAML, tmp_path, "hr", "h1", "h2", "p")
    assert ours == pandoc == [("p", "Text."), ("h2", "Section")]


def test_its_title_names_a_chapter_without_a_level_one_heading(tmp_path: Path) -> None:
    chapter = reader.read(one_chapter_book(tmp_path, YAML)).chapters[0]
    assert chapter.title == "Methods: how" and not chapter.has_own_title
    assert [h.text for h in chapter.headings] == ["Section"]


def test_a_level_one_heading_wins_over_the_yaml_title(tmp_path: Path) -> None:
    markdown = YAML.replace("Text.", "# Own title")
    chapter = reader.read(one_chapter_book(tmp_path, markdown)).chapters[0]
    assert chapter.title == "Own title" and chapter.has_own_title
    assert warnings_of(markdown, tmp_path / "w") == [
        (2, "metadata 'title' is not used: the chapter's own heading names it — the "
            "book's title belongs in book.toml; remove it here"),
        (3, "metadata 'author' in a chapter is not used — book metadata belongs in book.toml")]


def test_keys_kzpublish_does_not_use_are_warnings_at_their_line(tmp_path: Path) -> None:
    assert warnings_of(YAML, tmp_path) == [
        (3, "metadata 'author' in a chapter is not used — book metadata belongs in book.toml")]


def test_a_bom_before_the_yaml_block(tmp_path: Path) -> None:
    chapter = reader.read(one_chapter_book(tmp_path, "\ufeff" + YAML)).chapters[0]
    assert chapter.title == "Methods: how" and "<hr" not in chapter.html


def test_malformed_yaml_is_an_error_at_its_line(tmp_path: Path) -> None:
    markdown = "---\ntitle: ok\nbad: [unclosed\n---\n\nText.\n"
    with pytest.raises(ManuscriptError) as caught:
        reader.read(one_chapter_book(tmp_path, markdown))
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.pos.file.name == "ch.md" and diagnostic.pos.line == 3
    assert "not valid YAML" in diagnostic.message


def test_yaml_that_is_not_a_mapping_is_markdown_as_in_pandoc(tmp_path: Path) -> None:
    markdown = "---\n\ntitle: after a blank line\n---\n\nText.\n"
    ours, pandoc = same_shape(markdown, tmp_path, "hr", "p", "h2")
    assert ours == pandoc
    # Pandoc reads these as headerless tables (the tables reader's): here, text stays text.
    for markdown in ("---\n- a list\n---\n\nText.\n", "---\n'a string'\n---\n\nText.\n"):
        chapter = reader.read(one_chapter_book(tmp_path, markdown)).chapters[0]
        assert "a list" in chapter.html or "a string" in chapter.html


MID = ("Text.\n\n---\ntitle: From the middle\nnote: x\n---\n\nPara.\n\n"
       "* item\n\n  ---\n  title: Later\n  ---\n")


def test_a_yaml_block_after_a_blank_line_is_metadata_anywhere_as_in_pandoc(
        tmp_path: Path) -> None:
    """Pandoc reads a YAML block anywhere after a blank line (a list item too): it was
    printed as a rule and a heading ("note: x"); of two blocks the first key wins."""
    ours, pandoc = same_shape(MID, tmp_path, "hr", "h2", "p", "li")
    # the item's list stays loose here (its blank lines); pandoc, the block gone, makes it tight
    assert [shape for shape in ours if shape != ("p", "item")] == pandoc
    chapter = reader.read(one_chapter_book(tmp_path, MID)).chapters[0]
    assert chapter.title == "From the middle"
    assert warnings_of(MID, tmp_path) == [
        (5, "metadata 'note' in a chapter is not used — book metadata belongs in book.toml")]


def test_a_rule_then_text_without_a_blank_line_before_stays_markdown(tmp_path: Path) -> None:
    markdown = "Text.\n---\ntitle: x\n---\n"
    ours, pandoc = same_shape(markdown, tmp_path, "hr", "h2", "p")
    assert ours == pandoc


def test_a_yaml_title_that_is_the_book_s_is_no_warning(tmp_path: Path) -> None:
    """A one-file book carried over from pandoc keeps its YAML title: book.toml says it too."""
    markdown = "---\ntitle: T\n---\n\n# One\n\nText.\n"  # one_chapter_book's title is "T"
    assert warnings_of(markdown, tmp_path) == []
