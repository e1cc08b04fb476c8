"""Pandoc's lists: definition lists, task lists, fancy ordered lists, deep nesting."""

from __future__ import annotations

import re
from pathlib import Path

from kzpublish import assets, reader
from tests.conftest import one_chapter_book
from tests.markdown_oracle import same_attributes, warnings_of
from tests.pandoc_oracle import kzpublish_html, same_shape

DEFINITIONS = """\
Term one
:   First paragraph [@a].

    Second paragraph, still the definition [@b, p. 3].

        code in the definition

Term *two*
~   Short.
"""


def test_definition_lists_with_several_paragraphs_as_pandoc(tmp_path: Path) -> None:
    markdown = DEFINITIONS.replace(" [@a]", "").replace(" [@b, p. 3]", "")
    ours, pandoc = same_shape(markdown, tmp_path, "dl", "dt", "dd", "p", "em", "pre")
    assert ours == pandoc
    assert ("dt", "Term one") in ours and ("pre", "code in the definition") in ours


def test_citations_in_a_second_definition_paragraph_are_numbered_at_their_place(
        tmp_path: Path) -> None:
    chapter = reader.read(one_chapter_book(tmp_path, DEFINITIONS)).chapters[0]
    items = [(c.number, c.items[0].key, c.items[0].pos.line, c.items[0].pos.col)
             for c in chapter.citations]
    assert items == [(1, "a", 2, 22), (2, "b", 4, 45)]
    assert '<kz-cite n="2"></kz-cite>' in chapter.html


def test_task_lists_as_pandoc(tmp_path: Path) -> None:
    markdown = "- [ ] to do\n- [x] done\n- plain\n"
    ours, pandoc = same_shape(markdown, tmp_path, "ul", "li", "input")
    assert ours == pandoc
    ours_boxes, pandoc_boxes = same_attributes(markdown, tmp_path, "input", "type", "checked")
    assert [box.keys() for box in ours_boxes] == [box.keys() for box in pandoc_boxes]


FANCY = """\
(a) alpha one
(b) alpha two

iv. four
v.  five

#. hash one
#. hash two

C.  Third capital
D.  Fourth

(3) three
(4) four

I)  roman capital
II) two

A. Smith is a name, not a list.
"""


def test_only_task_items_lose_their_bullets() -> None:
    """A plain item in a list with task items kept no bullet: the rule hid every marker."""
    css = (assets.BUILTIN_STYLES / "base.css").read_text(encoding="utf-8")
    assert ".contains-task-list > .task-list-item { list-style: none; }" in css
    assert not re.search(r"\.contains-task-list \{[^}]*list-style", css)


def test_fancy_list_markers_give_pandocs_types_and_starts(tmp_path: Path) -> None:
    ours, pandoc = same_shape(FANCY, tmp_path, "ol", "li", "p")
    assert ours == pandoc
    ours_lists, pandoc_lists = same_attributes(FANCY, tmp_path, "ol", "type", "start")
    # Pandoc writes type="1" for (3); an <ol> is decimal without it.
    assert ours_lists == [a for a in pandoc_lists if a.get("type") != "1" or a.pop("type")]
    assert ours_lists[:3] == [{"type": "a"}, {"type": "i", "start": "4"}, {"type": "A",
                                                                             "start": "3"}]


def test_fancy_markers_inside_code_and_paragraphs_stay_text(tmp_path: Path) -> None:
    markdown = "Text\n(a) not a list here\n\n```\n(a) code\n```\n\n    b. indented code\n"
    ours, pandoc = same_shape(markdown, tmp_path, "p", "pre", "ol")
    assert ours == pandoc


def test_nested_fancy_lists_as_pandoc(tmp_path: Path) -> None:
    markdown = "1. one\n\n    a. sub a\n    b. sub b\n\n2. two\n"
    ours, pandoc = same_shape(markdown, tmp_path, "ol", "li")
    assert ours == pandoc
    assert same_attributes(markdown, tmp_path, "ol", "type")[0] == [{}, {"type": "a"}]


def _nested_list(depth: int) -> str:
    return "".join("  " * level + f"- level {level}\n" for level in range(depth)) + \
        "\nThe rest of the chapter.\n"


def test_a_list_nested_twelve_deep_reads_as_pandoc(tmp_path: Path) -> None:
    markdown = _nested_list(12)
    ours, pandoc = same_shape(markdown, tmp_path, "ul", "p")
    assert ours == pandoc
    assert ("p", "The rest of the chapter.") in ours
    assert warnings_of(markdown, tmp_path) == []


def test_nesting_past_the_limit_keeps_the_text_and_warns_at_the_line(tmp_path: Path) -> None:
    markdown = _nested_list(60)
    html = kzpublish_html(markdown, tmp_path)
    assert "level 59" in html and "The rest of the chapter." in html
    [(line, message)] = warnings_of(markdown, tmp_path)
    assert line == 32 and "Markdown nested more than 64 levels deep" in message


EXAMPLES = """\
(@) First.
(@good) Second.

Text between.

(@) Third, as (@good) and @good show.

@. Fourth, another list.

- (@) In a bullet.
"""


def test_example_lists_are_numbered_on_as_pandoc_numbers_them(tmp_path: Path) -> None:
    """``(@)`` items count on through the chapter and ``@good`` is its number: the list
    stayed text with a warning, and ``@good`` was an unknown citation, an error."""
    ours, pandoc = same_shape(EXAMPLES, tmp_path, "ol", "li", "p")
    assert ours == pandoc
    names = ("class", "type", "start")
    ours_attributes, pandocs_attributes = same_attributes(EXAMPLES, tmp_path, "ol", *names)
    assert ours_attributes == pandocs_attributes == [
        {"class": "example", "type": "1"}, *({"class": "example", "type": "1", "start": n}
                                              for n in ("3", "4", "5"))]
    assert "Third, as (2) and 2 show." in kzpublish_html(EXAMPLES, tmp_path)
    assert warnings_of(EXAMPLES, tmp_path) == []
