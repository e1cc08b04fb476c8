"""Untrusted mode (--untrusted, KZPUBLISH_UNTRUSTED) and raw HTML in both modes (issue 15).

One untrusted build of a chapter holding every payload class, one per block, serves
the removal tests: each payload is one warning at its line, and neither edition holds
a trace of it (the outputs are parsed). Trusted builds keep harmless raw HTML and stop
at each remote resource; project templates are refused in untrusted mode, so the
classic Jinja2 escapes never run.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from pathlib import Path

import pytest
import tinyhtml5

from kzpublish.cli import main

BOOK_TOML = """title = "Payloads"
authors = ["A. Author"]
language = "en"
chapters = ["ch.md"]
bibliography = "refs.json"
csl = "apa"
"""

PAYLOADS = {  # name → (raw HTML, what its warning names)
    "script": ('<script>alert("evil-script")</script>', "removed <script>"),
    "handler": ('<p onclick="alert(\'evil-handler\')">kept text</p>', "onclick="),
    "javascript": ('<a href="javascript:alert(\'evil-js\')">a link</a>', "javascript:"),
    "javascript-obfuscated": ('<a href=" JaVa&#x09;ScRiPt:alert(\'evil-js2\')">a link</a>',
                              "ScRiPt:alert"),
    "vbscript": ('<a href="vbscript:evil-vb">a link</a>', "vbscript:"),
    "data-html": ('<a href="data:text/html,evil-data">a link</a>', "data:text/html"),
    "iframe": ('<iframe src="evil-frame.html">evil-fallback</iframe>', "removed <iframe>"),
    "object": ('<object data="file:///etc/passwd">evil-object</object>', "removed <object>"),
    "embed": ('<embed src="evil-embed.swf">', "removed <embed>"),
    "applet": ('<applet code="Evil.class">evil-applet</applet>', "removed <applet>"),
    "frame": ('<frameset><frame src="evil-frame2.html"></frameset>', "removed <frameset>"),
    "link": ('<link rel="stylesheet" href="https://evil.example/evil-link.css">',
             "removed <link>"),
    "base": ('<base href="https://evil.example/evil-base/">', "removed <base>"),
    "meta-refresh": ('<meta http-equiv="refresh" content="0;url=https://evil.example/">',
                     "removed <meta>"),
    "form": ('<form action="https://evil.example/evil-form">kept text</form>',
             "removed <form>"),
    "input": ('<input name="evil-input" value="evil-value">', "removed <input>"),
    "svg": ('<svg onload="alert(\'evil-svg\')"><circle r="1"/></svg>', "removed <svg>"),
    "remote-img": ('<img src="https://evil.example/evil-img.png" alt="">', "evil-img.png"),
    "protocol-relative": ('<img src="//evil.example/evil-pr.png" alt="">', "evil-pr.png"),
    "srcset": ('<img src="local.png" srcset="https://evil.example/evil-srcset.png 2x" '
               'alt="">', "evil-srcset.png"),
    "poster": ('<video src="local.mp4" poster="https://evil.example/evil-poster.png"></video>',
               "evil-poster.png"),
    "style-url": ('<p style="color: red; background: url(https://evil.example/evil-bg.png)">'
                  "kept text</p>", "evil-bg.png"),
    "style-import": ("<style>\n@import url(https://evil.example/evil-import.css);\n</style>",
                     "@import"),
    "style-sheet-url": ("<style>\np { background: url(//evil.example/evil-sheet.png) }\n"
                        "</style>", "evil-sheet.png"),
    "inline-script": ('Text with <script>alert("evil-inline")</script> inline.',
                      "removed <script>"),
}
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "applet", "frame", "frameset", "link",
                  "base", "meta", "form", "input", "svg"}


def _project(folder: Path, chapter: str, templates: dict[str, str] | None = None) -> Path:
    manuscript = folder / "manuscript"
    manuscript.mkdir(parents=True)
    (manuscript / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    (manuscript / "refs.json").write_text("[]", encoding="utf-8")
    (manuscript / "ch.md").write_text(chapter, encoding="utf-8")
    for name, text in (templates or {}).items():
        (folder / "templates").mkdir(exist_ok=True)
        (folder / "templates" / name).write_text(text, encoding="utf-8")
    return folder


def _payload_chapter() -> tuple[str, dict[str, int]]:
    """The chapter text and each payload's line."""
    lines, where = ["# Payloads", ""], {}
    for name, (html, _) in PAYLOADS.items():
        where[name] = len(lines) + 1
        lines += [*html.splitlines(), ""]
    return "\n".join(lines), where


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _elements(page: str) -> list[tuple[str, dict[str, str]]]:
    """Every element of a page as a browser parses it (tinyhtml5: the HTML5 algorithm)."""
    return [(_local(element.tag), {_local(k): v for k, v in element.attrib.items()})
            for element in tinyhtml5.parse(page).iter() if isinstance(element.tag, str)]


@pytest.fixture(scope="module")
def untrusted_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The payload chapter built untrusted (HTML and EPUB): its pages, warnings and lines."""
    text, where = _payload_chapter()
    project = _project(tmp_path_factory.mktemp("untrusted"), text)
    out = project / "out"
    with contextlib.redirect_stderr(io.StringIO()) as err:
        status = main(["build", str(project), "-o", str(out), "--untrusted", "-q", "-f", "html"])
        status += main(["build", str(project), "-o", str(out), "--untrusted", "-f", "epub"])
    with zipfile.ZipFile(out / "payloads.epub") as epub:
        pages = [epub.read(name).decode("utf-8") for name in epub.namelist()
                 if name.endswith((".xhtml", ".html", ".opf", ".css"))]
    pages += [path.read_text(encoding="utf-8") for path in (out / "html").rglob("*")
              if path.suffix in (".html", ".css")]
    return {"status": status, "stderr": err.getvalue(), "pages": pages, "where": where,
            "chapter": project / "manuscript" / "ch.md"}


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_untrusted_removes_each_payload_with_one_warning(untrusted_build: dict[str, object],
                                                         name: str) -> None:
    first = untrusted_build["where"][name]  # type: ignore[index]
    prefixes = tuple(f"{untrusted_build['chapter']}:{line}:"
                     for line in range(first, first + PAYLOADS[name][0].count("\n") + 1))
    warnings = [text for text in str(untrusted_build["stderr"]).splitlines()
                if text.startswith(prefixes) and "editions do not carry it" not in text]
    # -q prints nothing: the EPUB build's summary is the one listing the warnings
    assert len(warnings) == 1, warnings
    assert ": warning: removed " in warnings[0]
    assert PAYLOADS[name][1] in warnings[0]
    assert untrusted_build["status"] == 0


def test_untrusted_editions_hold_no_trace(untrusted_build: dict[str, object]) -> None:
    pages: list[str] = untrusted_build["pages"]  # type: ignore[assignment]
    assert len(pages) >= 4
    for page in pages:
        assert "evil" not in page, re.findall(r".{40}evil.{40}", page)
        for tag, attrs in _elements(page):
            assert tag not in FORBIDDEN_TAGS or tag in ("link", "meta"), tag
            assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
            for name in ("href", "src", "srcset", "poster", "data"):
                value = attrs.get(name, "").strip().lower()
                assert not value.startswith(("javascript", "vbscript", "data:text", "//",
                                             "file:")), (tag, attrs)
    html_page = next(p for p in pages if "<main" in p)
    body = "<main" + html_page.split("<main", 1)[1]
    assert not {tag for tag, _ in _elements(body)} & FORBIDDEN_TAGS
    assert body.count("kept text") == 3  # what removed tags held stays
    assert '<p style="color: red">kept text</p>' in body


def test_environment_variable_is_the_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "# T\n\n<script>evil()</script>\n")
    monkeypatch.setenv("KZPUBLISH_UNTRUSTED", "1")
    assert main(["check", str(project)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{project / 'manuscript' / 'ch.md'}:3:1: warning: removed <script> and its content "
        "— untrusted mode keeps only the raw HTML on README's allow-list"]
    monkeypatch.setenv("KZPUBLISH_UNTRUSTED", "perhaps")
    assert main(["check", str(project)]) == 1
    assert capsys.readouterr().err.startswith("KZPUBLISH_UNTRUSTED: error: 'perhaps' is not")


def test_flag_leaves_the_environment_as_it_was(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "# T\n\n<script>evil()</script>\n")
    assert main(["check", str(project), "--untrusted"]) == 0
    assert "removed <script>" in capsys.readouterr().err
    assert main(["check", str(project)]) == 0  # trusted again: raw HTML as written
    assert capsys.readouterr().err == ""


# — trusted mode —

HARMLESS = '<div class="x">\n<span style="color:red">red</span> and <b>bold</b>\n</div>\n'


def test_trusted_keeps_raw_html_as_written(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "# T\n\n" + HARMLESS + '\nA <a href="https://example.org">'
                       "link</a> to the web.\n")
    assert main(["build", str(project), "-f", "html", "-q"]) == 0
    assert capsys.readouterr().err == ""
    page = (project / "build" / "html" / "index.html").read_text(encoding="utf-8")
    # the line between the div's tags is Markdown, a paragraph, as pandoc reads it
    assert ('<div class="x">\n<p><span style="color:red">red</span> and <b>bold</b></p>\n'
            "</div>\n") in page
    assert '<a href="https://example.org">link</a>' in page


def test_untrusted_keeps_the_harmless_too(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "# T\n\n" + HARMLESS)
    assert main(["build", str(project), "-f", "html", "-q", "--untrusted"]) == 0
    assert capsys.readouterr().err == ""
    page = (project / "build" / "html" / "index.html").read_text(encoding="utf-8")
    assert '<div class="x">' in page and '<span style="color:red">red</span>' in page


def test_untrusted_keeps_a_markdown_task_list_and_cuts_raw_html_inside_it(
        tmp_path: Path) -> None:
    """The tasklists plugin writes its boxes as raw HTML tokens: untrusted mode cut them,
    "[x] done" lost its tick, with a warning about an <input> the author never wrote."""
    from kzpublish import reader
    from tests.conftest import one_chapter_book
    text = "# T\n\n- [ ] todo\n- [x] done <input type=text> <b>bold</b>\n"
    book = reader.read(one_chapter_book(tmp_path, text, untrusted=True))
    [chapter] = book.chapters
    assert chapter.html.count('<input class="task-list-item-checkbox"') == 2
    assert 'checked="checked"' in chapter.html and "<b>bold</b>" in chapter.html
    assert "type=text" not in chapter.html
    assert [(w.pos.line, w.message.split(" —")[0]) for w in chapter.warnings] == [
        (4, "removed <input>")]


REMOTE = {  # raw HTML line → what the error names (the URL's column is the error's)
    '<img src="http://cdn.example/a.png" alt="">': "http://cdn.example/a.png",
    '<link rel="stylesheet" href="https://cdn.example/a.css">': "https://cdn.example/a.css",
    '<script src="https://cdn.example/a.js"></script>': "https://cdn.example/a.js",
    '<iframe src="https://video.example/embed"></iframe>': "https://video.example/embed",
    '<img src="a.png" srcset="https://cdn.example/b.png 2x" alt="">': "https://cdn.example/b.png",
    '<img src="//cdn.example/c.png" alt="">': "//cdn.example/c.png",
    '<p style="background: url(http://cdn.example/d.png)">x</p>': "http://cdn.example/d.png",
    "<style>@import url(http://cdn.example/e.css);</style>": "http://cdn.example/e.css",
    "<style>p { background: url('https://cdn.example/f.png') }</style>":
        "https://cdn.example/f.png",
    'Inline <img src="https://cdn.example/g.png" alt=""> in a paragraph.':
        "https://cdn.example/g.png",
    # what an element loads beyond its resource attributes: an iframe's srcdoc page, the
    # href an SVG animation sets (both passed before)
    "<iframe srcdoc=\"<img src='https://cdn.example/h.png'>\"></iframe>":
        "https://cdn.example/h.png",
    '<svg width="5" height="5"><image href="a.png" width="5" height="5"><set '
    'attributeName="href" to="https://cdn.example/i.png"/></image></svg>':
        "https://cdn.example/i.png",
    '<svg width="5" height="5"><image href="a.png" width="5" height="5"><animate '
    'attributeName="xlink:href" values="a.png; https://cdn.example/j.png"/></image></svg>':
        "https://cdn.example/j.png",
}


@pytest.mark.parametrize("raw", list(REMOTE))
def test_trusted_remote_resource_is_an_error(tmp_path: Path, raw: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, f"# T\n\nSome text.\n\n{raw}\n")
    assert main(["build", str(project), "-f", "html"]) == 1
    url = REMOTE[raw]
    column = raw.index(url) + 1
    chapter = project / "manuscript" / "ch.md"
    err = capsys.readouterr().err
    assert err.splitlines() == [
        next(line for line in err.splitlines() if line.startswith(f"{chapter}:5:{column}: "))]
    assert "error: " in err and f"'{url}' from the network" in err
    assert "download it into the project" in err and "Traceback" not in err
    assert not (project / "build" / "html").exists()


@pytest.mark.parametrize("content", [
    "0; URL=https://evil.example/", "5,'https://evil.example/'", "0;url=//evil.example/"])
def test_trusted_meta_refresh_to_the_web_is_an_error(tmp_path: Path, content: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A refresh sends each reader of the HTML edition to the site when the page opens,
    without a click: held as a remote resource is. One to a page of the book is kept."""
    raw = f'<meta http-equiv="Refresh" content="{content}">'
    project = _project(tmp_path, f"# T\n\nSome text.\n\n{raw}\n")
    assert main(["build", str(project), "-f", "html"]) == 1
    url = content.split("=")[-1].split(",")[-1].strip("'")
    column = raw.index(url) + 1
    assert capsys.readouterr().err.splitlines() == [
        f"{project / 'manuscript' / 'ch.md'}:5:{column}: error: <meta http-equiv=\"refresh\"> "
        f"sends readers to '{url}' on the network — editions must work offline: link to it "
        "instead (<a href>)"]
    (project / "manuscript" / "ch.md").write_text(
        '# T\n\n<meta http-equiv="refresh" content="3; url=index.html">\n', encoding="utf-8")
    assert main(["build", str(project), "-f", "html", "-q"]) == 0


# — templates —

JINJA_PAYLOADS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ self._TemplateReference__context }}",
    "{{ chapters[0].source.file.with_name('MARKER').write_text('x') }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{% if 'warning' in x.__name__ %}"
    "{{ x()._module.__builtins__['__import__']('os').popen('touch MARKER') }}{% endif %}"
    "{% endfor %}",
]


@pytest.mark.parametrize("payload", JINJA_PAYLOADS)
def test_untrusted_refuses_project_templates(tmp_path: Path, payload: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    marker = tmp_path / "manuscript" / "MARKER"
    template = payload.replace("MARKER", str(marker))
    project = _project(tmp_path, "# T\n\nText.\n", {"page.html.j2": template})
    assert main(["build", str(project), "-f", "html", "--untrusted"]) == 1
    assert not marker.exists()
    assert capsys.readouterr().err.splitlines() == [
        f"{project / 'templates' / 'page.html.j2'}: error: project templates are not used in "
        "untrusted mode (--untrusted, KZPUBLISH_UNTRUSTED): a template is code run by the "
        "build — review it, then build in trusted mode, or remove it"]
    assert not (project / "build" / "html").exists()
    assert main(["check", str(project), "--untrusted"]) == 1
    assert "page.html.j2: error: project templates are not used" in capsys.readouterr().err
    assert not marker.exists()


def test_trusted_mode_uses_project_templates(tmp_path: Path) -> None:
    project = _project(tmp_path, "# T\n\nText.\n",
                       {"title.html.j2": "<p class=\"own-title\">{{ meta.title }}</p>\n"})
    assert main(["build", str(project), "-f", "html", "-q"]) == 0
    page = (project / "build" / "html" / "index.html").read_text(encoding="utf-8")
    assert '<p class="own-title">Payloads</p>' in page


# — parser tricks: what a browser would run must not survive the round trip (the output
# is parsed again; a trick may end up as harmless escaped text, or a comment dropped) —

TRICKS = [
    "<!--> <script>alert(1)</script> -->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<svg><style><img src=x onerror=alert(1)></style></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<div><template><script>alert(1)</script></template></div>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href="&#x20;javascript:alert(1)">x</a>',
    '<img src="x.png" alt="" ONERROR="alert(1)">',
    "<div>\n<img src=x.png onerror=alert(1)//",
    "<scr<script>ipt>alert(1)</script>",
    '<p style="background:\\75 rl(http://evil.example/x)">x</p>',
    "<style>p { background: u\\rl(http://evil.example/x) }</style>",
    "<style>p { background: image-set('http://evil.example/x' 1x) }</style>",
    "<style>@font-face { src: url(https://evil.example/f.woff) }</style>",
    "<style>p { color: red }</style ><img src=x.png onerror=alert(1)>",
    '<style>p { content: "</style><img src=x.png onerror=alert(1)>" }</style>',
    '<img src="\\\\evil.example\\x.png" alt="">',
    '<a href="https://ok.example/" onmouseover="alert(1)">x</a>',
    '<p data-x"onmouseover=alert(1)//>x</p>',
    '<p title="x" / onclick="alert(1)">x</p>',
]


@pytest.mark.parametrize("raw", TRICKS)
def test_untrusted_output_runs_nothing(tmp_path: Path, raw: str) -> None:
    from kzpublish import reader
    from tests.conftest import one_chapter_book
    config = one_chapter_book(tmp_path, f"# T\n\n{raw}\n\nAfter.\n", untrusted=True)
    chapter = reader.read(config).chapters[0]
    assert "evil" not in chapter.html, chapter.html
    for tag, attrs in _elements(chapter.html):
        assert tag not in FORBIDDEN_TAGS | {"math", "template", "noscript"}, chapter.html
        assert not [name for name in attrs if name.startswith("on")], chapter.html
        assert "script" not in attrs.get("href", "").lower(), chapter.html
    assert "After." in chapter.html


def test_rendered_chapter_loads_nothing_remote(tmp_path: Path) -> None:
    """The net under the raw-HTML check: markup made from Markdown is checked as rendered."""
    from kzpublish import sanitize
    from kzpublish.errors import ManuscriptError
    chapter = tmp_path / "ch.md"
    lines = ["# T", "", 'A [span]{style="background: url(https://cdn.example/h.png)"}.']
    body = '<p>A <span style="background: url(https://cdn.example/h.png)">span</span>.</p>'
    with pytest.raises(ManuscriptError) as caught:
        sanitize.offline(body, chapter, lines)
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{chapter}:3:33: error: CSS in <span style> loads 'https://cdn.example/h.png' from the "
        "network — editions must work offline: download it into the project and use the local "
        "copy"]
    sanitize.offline('<p><a href="https://example.org">a link</a></p>', chapter, lines)


def test_readme_documents_the_allow_list() -> None:
    from kzpublish import sanitize
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Untrusted manuscripts", 1)[1].split("\n## ", 1)[0]
    names = [*sanitize.ELEMENTS, *sanitize.GLOBAL_ATTRIBUTES]
    missing = [name for name in names if name not in ("h2", "h3", "h4", "h5")
               and not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", section)]
    assert not missing
