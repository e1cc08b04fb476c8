"""Pandoc's inline extensions: ~~del~~, ^sup^, ~sub~, bracketed spans, raw inline content."""

from __future__ import annotations

from pathlib import Path

from kzpublish import assets
from tests.markdown_oracle import same_attributes, warnings_of
from tests.pandoc_oracle import kzpublish_html, same_shape


def test_strikeout_superscript_subscript_as_pandoc(tmp_path: Path) -> None:
    markdown = "~~gone~~ H~2~O, 2^10^ and a~b c~ stays, x^a\\ b^.\n"
    ours, pandoc = same_shape(markdown, tmp_path, "del", "sup", "sub", "p")
    assert ours == pandoc
    assert ("del", "gone") in ours and ("sub", "2") in ours and ("sup", "10") in ours


def test_smallcaps_and_spans_with_attributes_as_pandoc(tmp_path: Path) -> None:
    markdown = "[Small]{.smallcaps} and [x *y*]{#s .a .b key=v lang=ru} [a link](u){.ext}\n"
    assert same_shape(markdown, tmp_path, "span", "em", "a")[0] == \
        same_shape(markdown, tmp_path, "span", "em", "a")[1]
    ours, pandoc = same_attributes(markdown, tmp_path, "span", "id", "class", "data-key",
                                   "lang")
    assert ours == pandoc == [{"class": "smallcaps"},
                              {"id": "s", "class": "a b", "data-key": "v", "lang": "ru"}]
    assert same_attributes(markdown, tmp_path, "a", "class")[0] == [{"class": "ext"}]


def test_brackets_without_attributes_stay_text(tmp_path: Path) -> None:
    markdown = "[not a span] and [x]{ also not} and `{.c}`\n"
    ours, pandoc = same_shape(markdown, tmp_path, "p", "span", "code")
    assert ours == pandoc


def test_raw_html_inline_is_kept_and_other_formats_dropped_with_a_warning(
        tmp_path: Path) -> None:
    markdown = "A `<b>bold</b>`{=html} word\nand `\\emph{x}`{=latex} gone.\n"
    ours, pandoc = same_shape(markdown, tmp_path, "p", "b", "code")
    assert ours == pandoc == [("p", "A bold word and gone."), ("b", "bold")]
    [(line, message)] = warnings_of(markdown, tmp_path)
    assert line == 2 and "raw latex inline" in message


def test_raw_tex_inline_is_dropped_as_pandoc_drops_it_with_a_warning(tmp_path: Path) -> None:
    markdown = "Some \\textbf{bold} text,\nand \\alpha more, but \\$5 and \\* stay.\n"
    ours, pandoc = same_shape(markdown, tmp_path, "p")
    assert ours == pandoc
    found = warnings_of(markdown, tmp_path)
    assert [(line, message.split(" left out")[0]) for line, message in found] == [
        (1, "raw TeX '\\textbf{bold}'"), (2, "raw TeX '\\alpha'")]


def test_a_span_keeps_its_citation(tmp_path: Path) -> None:
    html = kzpublish_html("[As @smith says]{.smallcaps}\n", tmp_path)
    assert '<span class="smallcaps">As <kz-cite n="1"></kz-cite> says</span>' in html


def test_link_syntax_left_as_text_is_a_warning_at_its_line(tmp_path: Path) -> None:
    markdown = "A [good](u) link.\n\nA [bad](u \"a \"quoted\" title\") one,\nan [undefined][x] " \
               "label, [a span]{.c}, [see @k] and [just brackets].\n\n[y]: /u \"a \"b\" c\"\n"
    found = [(line, message.split("'")[1]) for line, message in warnings_of(markdown, tmp_path)]
    assert found == [(3, '[bad](u "a "quoted" title")'), (4, "[undefined][x]"), (6, "[y]: /u")]


def test_a_note_in_a_citation_prefix_stays_text() -> None:
    """render_inline (citation affixes) has no chapter to hold a note: it crashed on ^[…]."""
    from kzpublish import reader
    assert reader.render_inline("see ^[a note] *here*") == "see ^[a note] <em>here</em>"
    assert reader.render_inline("a [^1] b") == "a [^1] b"
    assert reader.render_inline("[@a] and @b") == "[@a] and @b"  # nor a citation


def test_a_heading_is_a_reference_label_as_pandoc(tmp_path: Path) -> None:
    """implicit_header_references: the heading as written (emphasis and all, case folded)
    links to it, by its id; the author's definition wins."""
    markdown = ("# My Heading {#mine}\n\n## Second *one*\n\n"
                "See [My Heading], [Second *one*], [text][My heading] "
                "and [Second one].\n\n## Defined\n\n[Defined] wins.\n\n"
                "[defined]: http://a.example\n")
    ours, pandoc = same_attributes(markdown, tmp_path, "a", "href")
    assert ours == pandoc == [{"href": "#mine"}, {"href": "#second-one"}, {"href": "#mine"},
                              {"href": "http://a.example"}]
    assert "and [Second one]." in kzpublish_html(markdown, tmp_path)


def test_a_heading_s_label_is_its_text_as_pandoc_cuts_it(tmp_path: Path) -> None:
    """Closing hashes before the attributes are no part of the label (``# Title ## {#tid}``
    is "Title"; it was "Title ##", and [Title] stayed text); an escaped brace is text."""
    markdown = ("# Title ## {#tid}\n\nSee [Title].\n\n# Other \\{#x}\n\n"
                "See [Other {#x}] and [Other \\{#x}].\n")
    ours, pandoc = same_attributes(markdown, tmp_path, "a", "href")
    assert ours == pandoc
    assert {"href": "#tid"} in ours


def test_of_headings_written_alike_the_first_is_linked(tmp_path: Path) -> None:
    """As pandoc's manual says; pandoc 2.17 links the last (jgm/pandoc#8300, fixed since)."""
    html = kzpublish_html("## Intro\n\n## Intro\n\n[Intro][]\n", tmp_path)
    assert '<h2 id="intro-1">' in html and '<a href="#intro">Intro</a>' in html


def test_mark_and_underline_spans_are_the_elements_pandoc_writes(tmp_path: Path) -> None:
    """``{.mark}`` is <mark>, ``{.underline}`` alone <u> (else an underlined span): both
    were plain spans, the highlight and the underline lost."""
    markdown = "[a]{.underline .foo} [b]{.mark #i} [d]{.underline} [e *f*]{.mark}\n"
    tags = ("span", "mark", "u", "em")
    ours, pandoc = same_shape(markdown, tmp_path, *tags)
    assert ours == pandoc == [("span", "a"), ("mark", "b"), ("u", "d"), ("mark", "e f"),
                              ("em", "f")]
    css = (assets.BUILTIN_STYLES / "base.css").read_text(encoding="utf-8")
    assert ".underline { text-decoration: underline; }" in css


def test_a_link_reference_defined_twice_is_the_last_and_a_warning(tmp_path: Path) -> None:
    """Pandoc keeps the last definition and warns; CommonMark kept the first, silently."""
    markdown = "[ref] and [Ref].\n\n[ref]: http://x.org\n[Ref]: http://y.org \"Y\"\n"
    ours, pandoc = same_attributes(markdown, tmp_path, "a", "href", "title")
    assert ours == pandoc == [{"href": "http://y.org", "title": "Y"}] * 2
    assert warnings_of(markdown, tmp_path) == [
        (4, "link reference [Ref] is defined again — this definition is used, as pandoc uses "
            "the last; remove the other")]
