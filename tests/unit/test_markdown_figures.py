"""Figures: an image alone in its paragraph, with Pandoc's attributes and a Markdown caption."""

from __future__ import annotations

from pathlib import Path

from kzpublish import reader
from tests.conftest import PROJECTS, one_chapter_book
from tests.markdown_oracle import attributes_of, same_attributes
from tests.pandoc_oracle import kzpublish_html, same_shape

PICTURE = PROJECTS / "english" / "manuscript" / "images" / "editions.png"
"""A real PNG: the reader checks that an image can be read."""


def _images(folder: Path, *names: str) -> Path:
    (folder / "manuscript").mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / "manuscript" / name).write_bytes(PICTURE.read_bytes())
    return folder


FIGURES = """\
![A *chart* of growth](a.png){#fig:growth width=50%}

![Pixels](b.png){width=300px height=2cm .wide}

Inline ![icon](a.png){#icon} stays in its paragraph.

![](b.png)
"""


def test_figures_and_captions_as_pandoc(tmp_path: Path) -> None:
    folder = _images(tmp_path, "a.png", "b.png")
    ours, pandoc = same_shape(FIGURES, folder, "figure", "figcaption", "em", "p", "img")
    assert ours == pandoc
    assert ("figcaption", "A chart of growth") in ours


def test_figure_id_is_on_the_figure_where_cross_references_point(tmp_path: Path) -> None:
    html = kzpublish_html(FIGURES, _images(tmp_path, "a.png", "b.png"))
    assert attributes_of(html, "figure", "id") == [{"id": "fig:growth"}, {}]
    assert attributes_of(html, "img", "id")[2] == {"id": "icon"}  # not a figure: its own id


def test_image_sizes_as_pandoc_writes_them(tmp_path: Path) -> None:
    folder = _images(tmp_path, "a.png", "b.png")
    ours, pandoc = same_attributes(FIGURES, folder, "img", "width", "height", "style", "class")
    # Pandoc writes 50.0% where the author wrote 50%: the same width.
    assert ours[0] == {"style": "width:50%"} and pandoc[0] == {"style": "width:50.0%"}
    assert ours[1:] == pandoc[1:]


def test_a_citation_in_a_caption_is_numbered_and_rendered(tmp_path: Path) -> None:
    folder = _images(tmp_path, "a.png")
    markdown = "Before [@first].\n\n![Growth after @second, p. 3](a.png)\n\nAfter [@third].\n"
    chapter = reader.read(one_chapter_book(folder, markdown)).chapters[0]
    assert [(c.number, c.items[0].key, c.items[0].pos.line, c.items[0].pos.col)
            for c in chapter.citations] == [(1, "first", 1, 9), (2, "second", 3, 16),
                                              (3, "third", 5, 8)]
    assert '<figcaption>Growth after <kz-cite n="2"></kz-cite>, p. 3</figcaption>' in chapter.html
