"""Images: found, checked where they are written, carried into every edition."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kzpublish.config import Config
from kzpublish.errors import ManuscriptError
from kzpublish.reader import read
from tests.conftest import PROJECTS, one_chapter_book

PNG = PROJECTS / "english" / "manuscript" / "images" / "editions.png"


def _config(tmp_path: Path, text: str) -> Config:
    (tmp_path / "manuscript" / "img").mkdir(parents=True)
    shutil.copyfile(PNG, tmp_path / "manuscript" / "img" / "chart.png")
    return one_chapter_book(tmp_path, text)


def test_images_are_listed_and_alt_text_is_checked(tmp_path: Path) -> None:
    config = _config(tmp_path, "# T\n\nText.\n\n![A chart](img/chart.png)\n\n![](img/chart.png)\n")
    chapter = read(config).chapters[0]
    assert chapter.images == ("img/chart.png", "img/chart.png")
    assert [str(w) for w in chapter.warnings] == [
        f"{config.manuscript / 'ch.md'}:7:5: warning: image 'img/chart.png' has no alt text — "
        "say what it shows: ![a short description](img/chart.png)"]


@pytest.mark.parametrize(("markdown", "message"), [
    ("![x](img/nope.png)", "image 'img/nope.png' not found"),
    ("![x](../outside.png)", "image '../outside.png' not found"),
    ("![x](https://example.org/a.png)", "is not a local file"),
    ("![x](img/chart.bmp)", "is not a web image type"),
])
def test_bad_images_are_errors_at_their_line(tmp_path: Path, markdown: str,
                                             message: str) -> None:
    config = _config(tmp_path, f"# T\n\n{markdown}\n")
    with pytest.raises(ManuscriptError) as caught:
        read(config)
    assert len(caught.value.diagnostics) == 1
    text = str(caught.value.diagnostics[0])
    assert text.startswith(f"{config.manuscript / 'ch.md'}:3:") and message in text


def test_an_image_alone_is_a_figure_with_its_description_as_caption(tmp_path: Path) -> None:
    html = read(_config(tmp_path, "# T\n\n![A chart](img/chart.png)\n\nText ![](img/chart.png)\n"
                        )).chapters[0].html
    assert ('<figure><img src="img/chart.png" alt="A chart" />'
            "<figcaption>A chart</figcaption></figure>") in html
    assert '<p>Text <img src="img/chart.png" alt="" /></p>' in html
