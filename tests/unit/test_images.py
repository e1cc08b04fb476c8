"""Images: found, checked where they are written, carried into every edition."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest

from kzpublish import images, scaffold
from kzpublish.config import Config
from kzpublish.errors import ManuscriptError
from kzpublish.reader import read
from tests.conftest import PROJECTS, one_chapter_book

PNG = PROJECTS / "english" / "manuscript" / "images" / "editions.png"


def _config(tmp_path: Path, text: str) -> Config:
    (tmp_path / "manuscript" / "img").mkdir(parents=True)
    shutil.copyfile(PNG, tmp_path / "manuscript" / "img" / "chart.png")
    (tmp_path / "manuscript" / "img" / "broken.pdf").write_bytes(b"%PDF-1.4 not really\n")
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
    ("![x](img/chart.bmp)", "is not an image type the editions show"),
    ("![x](img/broken.pdf)", "PDF figure 'img/broken.pdf' is not a readable PDF"),
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


@pytest.mark.parametrize(("relative", "name"), [
    ("manuscript/img/a.png", "img/a.png"),
    ("graphs/x.svg", "project/graphs/x.svg"),
    ("manuscript/project/b.png", "project/manuscript/project/b.png"),
    ("c.png", "project/c.png"),
])
def test_output_names_are_reversible(tmp_path: Path, relative: str, name: str) -> None:
    assert images.output_name(tmp_path, tmp_path / relative) == name
    assert images.source(tmp_path, name) == tmp_path / relative


def test_an_image_outside_manuscript_is_named_under_project(tmp_path: Path) -> None:
    config = _config(tmp_path, "# T\n\n![A graph](../graphs/x.png)\n")
    (tmp_path / "graphs").mkdir()
    shutil.copyfile(PNG, tmp_path / "graphs" / "x.png")
    chapter = read(config).chapters[0]
    assert chapter.images == ("project/graphs/x.png",)
    assert '<img src="project/graphs/x.png" alt="A graph" />' in chapter.html


def test_a_pdf_figure_is_named_and_read_as_svg(tmp_path: Path) -> None:
    """A PDF figure (the thesis's graphs/shares.pdf) is shown as pdftocairo's SVG."""
    config = _config(tmp_path, "# T\n\n![Shares](img/shares.pdf)\n")
    shutil.copyfile(PROJECTS / "thesis" / "graphs" / "shares.pdf",
                    config.manuscript / "img" / "shares.pdf")
    chapter = read(config).chapters[0]
    assert chapter.images == ("img/shares.pdf.svg",)
    assert 'src="img/shares.pdf.svg"' in chapter.html
    assert images.source(config.project, "img/shares.pdf.svg") == \
        config.manuscript / "img" / "shares.pdf"
    assert b"<svg" in images.read(config.project, "img/shares.pdf.svg")


def test_raw_html_images_are_carried_like_markdown_ones(tmp_path: Path) -> None:
    """``<img>`` in raw HTML (a block or inline, ``srcset`` and ``style`` too) is listed, so
    the HTML and EPUB editions copy it; one outside manuscript/ is renamed as Markdown's is."""
    config = _config(tmp_path, '# T\n\n<img src="img/chart.png" alt="a">\n\n'
                     'Text <img src="../graphs/x.png" alt="b"> and '
                     '<span style="background: url(img/chart.png)">c</span>.\n')
    (tmp_path / "graphs").mkdir()
    shutil.copyfile(PNG, tmp_path / "graphs" / "x.png")
    chapter = read(config).chapters[0]
    assert sorted(chapter.images) == ["img/chart.png", "img/chart.png", "project/graphs/x.png"]
    assert '<img src="img/chart.png" alt="a">' in chapter.html
    assert 'Text <img src="project/graphs/x.png" alt="b">' in chapter.html
    assert chapter.warnings == ()


def test_a_raw_html_resource_the_editions_cannot_carry_is_a_warning(tmp_path: Path) -> None:
    config = _config(tmp_path, '# T\n\nA clip: <video src="img/clip.mp4"></video>\n')
    (config.manuscript / "img" / "clip.mp4").write_bytes(b"\0\0\0\x18ftypmp42")
    chapter = read(config).chapters[0]
    assert chapter.images == ()
    assert [str(w) for w in chapter.warnings] == [
        f"{config.manuscript / 'ch.md'}:3:21: warning: 'img/clip.mp4' in raw HTML is not an "
        "image file of the project, so the HTML and EPUB editions do not carry it — use a "
        "PNG, JPEG, GIF, SVG or WebP image, or link to it instead"]


SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
  <style>rect { fill: url(#g); }</style>
  <image xlink:href="https://example.org/x.png" width="9" height="9"/>
  <use href="../../../secret.svg#a"/><image href="data:image/png;base64,AAAA"/>
</svg>
"""


@pytest.mark.parametrize("markdown", ["![A picture](pic.svg)", '<img src="pic.svg" alt="A">'])
def test_what_an_svg_picture_loads_is_checked_in_the_picture(tmp_path: Path,
                                                             markdown: str) -> None:
    """Every edition draws the SVG and would load its images: a remote one or one outside
    the project is an error at its place in the SVG file (it was WeasyPrint's refusal at
    the project folder, and passed check)."""
    config = _config(tmp_path, f"# T\n\n{markdown}\n")
    (config.manuscript / "pic.svg").write_text(SVG, encoding="utf-8")
    with pytest.raises(ManuscriptError) as caught:
        read(config)
    svg = config.manuscript / "pic.svg"
    remote, outside = map(str, caught.value.diagnostics)  # the data: URL and #g load nothing
    assert remote.startswith(f"{svg}:3:21: error: 'https://example.org/x.png' is a remote")
    assert outside.startswith(f"{svg}:4:13: error: resource '../../../secret.svg#a' is outside")


def _svg(*elements: str) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">\n'
            + "\n".join(elements) + "\n</svg>\n")


def _data(kind: str, body: bytes) -> str:
    return f"data:{kind};base64,{base64.b64encode(body).decode('ascii')}"


def test_a_picture_is_shown_with_the_images_it_draws_in_it(tmp_path: Path) -> None:
    """A browser shows a picture in ``<img>`` without loading what it names: the editions'
    picture has each image it draws in it — a PNG, an SVG (with its own PNG in it), a
    ``url()`` in its CSS — while an element it takes from another file is carried."""
    config = _config(tmp_path, "# T\n\n![A chart](img/chart.svg)\n")
    img = config.manuscript / "img"
    (img / "icons").mkdir()
    shutil.copyfile(PNG, img / "icons" / "dot.png")
    (img / "icons" / "inner.svg").write_text(_svg('<image xlink:href="dot.png"/>'))
    (img / "icons" / "set.svg").write_text(_svg('<circle id="a" r="1"/>'))
    chart = _svg('<image href="chart.png"/>', '<image href="icons/inner.svg#v"/>',
                 '<rect style="fill: url(chart.png)"/>', '<use href="icons/set.svg#a"/>')
    (img / "chart.svg").write_text(chart)
    chapter = read(config).chapters[0]
    assert chapter.images == ("img/chart.svg", "img/icons/set.svg")
    inner = _svg(f'<image xlink:href="{_data("image/png", PNG.read_bytes())}"/>')
    assert images.read(config.project, "img/chart.svg").decode() == chart.replace(
        "icons/inner.svg#v", _data("image/svg+xml", inner.encode())).replace(
        "chart.png", _data("image/png", PNG.read_bytes()))
    assert images.sources(config.project, chapter.images) == [
        img / "chart.png", img / "chart.svg", img / "icons" / "dot.png",
        img / "icons" / "inner.svg", img / "icons" / "set.svg"]
    assert [str(w).split(" — ")[0] for w in chapter.warnings] == [
        f"{img / 'chart.svg'}:5:11: warning: 'icons/set.svg#a' is an element of another file, "
        "which no edition draws (WeasyPrint and browsers draw a picture's own elements only)"]


def test_what_a_nested_svg_loads_is_checked_where_it_is_written(tmp_path: Path) -> None:
    """The SVG a picture loads is followed: its remote image is an error at its place in
    that SVG (it was the PDF fetcher's refusal at the project folder); a missing file and a
    picture drawn inside itself are errors, a file that is no image a warning."""
    config = _config(tmp_path, "# T\n\n![A chart](img/chart.svg)\n")
    img = config.manuscript / "img"
    (img / "chart.svg").write_text(_svg('<image href="inner.svg"/>', '<image href="gone.png"/>'))
    (img / "inner.svg").write_text(_svg('<image href="https://example.org/x.png"/>',
                                        '<image href="chart.svg"/>'))
    with pytest.raises(ManuscriptError) as caught:
        read(config)
    assert [str(d).split(" — ")[0] for d in caught.value.diagnostics] == [
        f"{img / 'chart.svg'}:3:13: error: 'gone.png' not found: there is no "
        f"{img / 'gone.png'}",
        f"{img / 'inner.svg'}:2:13: error: 'https://example.org/x.png' is a remote resource",
        f"{img / 'inner.svg'}:3:13: error: 'chart.svg' is a picture this one is drawn in"]
    (img / "chart.svg").write_text(_svg("<style>@import 'look.css';</style>"))
    (img / "look.css").write_text("rect { fill: red }")
    assert [str(w) for w in read(config).chapters[0].warnings] == [
        f"{img / 'chart.svg'}:2:16: warning: 'look.css' is not an image file, so the HTML and "
        "EPUB editions do not carry it — use a PNG, JPEG, GIF, SVG or WebP image"]


def test_a_reference_the_editions_names_move_is_rewritten(tmp_path: Path) -> None:
    """A picture in manuscript/ taking an element of ``../graphs/set.svg``: the editions
    carry that file as project/graphs/set.svg, so their picture names it so; a picture
    that loads nothing is shown as written, byte for byte."""
    config = _config(tmp_path, "# T\n\n![A chart](img/chart.svg)\n\n![Plain](img/plain.svg)\n")
    (tmp_path / "graphs").mkdir()
    (tmp_path / "graphs" / "set.svg").write_text(_svg('<circle id="a" r="1"/>'))
    moved = _svg('<use href="../../graphs/set.svg#a"/>', '<use href="#b"/>')
    (config.manuscript / "img" / "chart.svg").write_text(moved)
    plain = _svg('<g id="b"/>', '<use href="#b"/>')
    (config.manuscript / "img" / "plain.svg").write_text(plain)
    chapter = read(config).chapters[0]
    assert chapter.images == ("img/chart.svg", "project/graphs/set.svg", "img/plain.svg")
    assert images.read(config.project, "img/chart.svg").decode() == moved.replace(
        "../../graphs/set.svg#a", "../project/graphs/set.svg#a")
    assert images.read(config.project, "img/plain.svg").decode() == plain


def test_markup_in_an_svg_comment_loads_nothing(tmp_path: Path) -> None:
    """A commented-out ``<image>`` or ``<style>`` is no reference: its missing file is no
    error, and the picture the editions get is the file as written."""
    config = _config(tmp_path, "# T\n\n![A chart](chart.svg)\n")
    chart = _svg("<!-- <image href='gone.png'/>", "<style>rect { fill: url(gone.png) }</style>",
                 "-->", '<rect width="1" height="1"/>')
    (config.manuscript / "chart.svg").write_text(chart)
    assert read(config).chapters[0].warnings == ()
    assert images.read(config.project, "chart.svg").decode() == chart


def test_a_picture_in_two_chapters_warns_once(tmp_path: Path) -> None:
    """Each chapter reads the picture; the author hears of its problem once."""
    from kzpublish import pipeline
    project = tmp_path / "book"
    scaffold.create(project)
    manuscript = project / "manuscript"
    (manuscript / "pic.svg").write_text(_svg('<use href="set.svg#a"/>'))
    (manuscript / "set.svg").write_text(_svg('<circle id="a" r="1"/>'))
    (manuscript / "01-introduction.md").write_text(
        "# One\n\n![A](pic.svg)\n\n# Two\n\n![B](pic.svg)\n", encoding="utf-8")
    for warnings in (pipeline.check(project),
                     pipeline.run(project, ["html"], tmp_path / "out").warnings):
        assert [str(w) for w in warnings].count(str(warnings[0])) == 1
        assert sum("is an element of another file" in str(w) for w in warnings) == 1
