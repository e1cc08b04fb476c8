"""Project templates in trusted mode: sandboxed, their mistakes positioned, and what they
make the editions load held to the project boundary as a chapter's raw HTML is.

Each case is a project whose templates/ holds one attack; the build (and ``check`` where
the template need not run) must stop with one ``FILE:LINE[:COL]: error:`` line — no
traceback, no internal error — and leave no trace: no file written by the template, no
canary from outside the project, no request to a local HTTP server.
"""

from __future__ import annotations

import re
import secrets
import zipfile
from pathlib import Path

import pytest

from kzpublish import templates
from kzpublish.cli import main
from tests.robust.test_confinement import server  # noqa: F401 (a fixture)
from tests.robust.test_untrusted import JINJA_PAYLOADS, _project

BUILTIN_PAGE = (templates.BUILTIN / "page.html.j2").read_text(encoding="utf-8")


def _page(line: str) -> str:
    """The built-in page template with ``line`` as the first thing in its body."""
    return BUILTIN_PAGE.replace("<body>\n", f"<body>\n{line}\n", 1)


def _body_line() -> int:
    """The line ``_page`` puts its line on."""
    return BUILTIN_PAGE.splitlines().index("<body>") + 2


def _run(command: str, project: Path, capsys: pytest.CaptureFixture[str],
         *options: str) -> tuple[int, list[str]]:
    status = main([command, str(project), *options])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return status, err.strip().splitlines()


@pytest.mark.parametrize("payload", [
    *JINJA_PAYLOADS,
    "{{ chapters[0].source.file.parent.parent.joinpath('SECRET').read_text() }}",
    "{{ chapters[0].source.file | attr('read_text') }}",
    "{{ chapters.append(1) }}",
])
def test_trusted_templates_are_sandboxed(tmp_path: Path, payload: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """The classic Jinja2 escapes and a chapter's path used to read or write a file: each
    refused where it is written (in trusted mode they ran: a template read any file)."""
    canary = f"CANARY{secrets.token_hex(8)}"
    (tmp_path / "SECRET").write_text(canary, encoding="utf-8")
    project = tmp_path / "book"
    marker = project / "manuscript" / "MARKER"
    template = payload.replace("MARKER", str(marker))
    _project(project, "# T\n\nText.\n", {"page.html.j2": _page(template)})
    status, lines = _run("build", project, capsys, "-f", "html")
    assert status == 1 and len(lines) == 1, lines
    assert lines[0].startswith(f"{project / 'templates' / 'page.html.j2'}:{_body_line()}:1: "
                               "error: "), lines
    assert lines[0].endswith(" — fix the template, or remove it to use the built-in one")
    assert "is unsafe" in lines[0] or "has no attribute" in lines[0], lines
    assert not marker.exists()
    assert not (project / "build" / "html").exists()


@pytest.mark.parametrize(("line", "message"), [
    ("{% if %}", "Expected an expression, got 'end of statement block'"),
    ("{{ no_such_variable }}", "'no_such_variable' is undefined"),
    ("{% include '/etc/passwd' %}", "template '/etc/passwd' not found"),
    ("{% include '../../outside.j2' %}", "template '../../outside.j2' not found"),
    ("{% import '../manuscript/book.toml' as m %}",
     "template '../manuscript/book.toml' not found"),
])
def test_a_template_mistake_is_an_error_at_its_line(
        tmp_path: Path, line: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A template is reached by name only in templates/ and the built-in ones: a path out
    is not found; each mistake is one line at the template's line (it was an internal
    error, TemplateNotFound even a TypeError)."""
    (tmp_path / "outside.j2").write_text("CANARY", encoding="utf-8")
    project = _project(tmp_path / "book", "# T\n\nText.\n", {"page.html.j2": _page(line)})
    status, lines = _run("build", project, capsys, "-f", "html")
    assert status == 1
    assert lines == [lines[0]] and lines[0].startswith(
        f"{project / 'templates' / 'page.html.j2'}:{_body_line()}:1: error: {message}"), lines


def test_a_template_that_includes_itself_is_an_error_at_the_include(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "# T\n\nText.\n",
                       {"title.html.j2": '<p>T</p>\n{% include "title.html.j2" %}\n'})
    status, lines = _run("build", project, capsys, "-f", "html")
    assert status == 1
    assert lines == [f"{project / 'templates' / 'title.html.j2'}:2:1: error: the template "
                     "includes itself without end — stop the chain of includes"]


def test_check_finds_a_template_that_cannot_be_compiled(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "# T\n\nText.\n", {"title.html.j2": "<p>\n{% for %}\n"})
    status, lines = _run("check", project, capsys)
    assert status == 1
    assert lines == [f"{project / 'templates' / 'title.html.j2'}:2:1: error: Expected an "
                     "expression, got 'end of statement block' — fix the template, or remove "
                     "it to use the built-in one"]


REMOTE = {  # what a template writes → its URL's column
    "link": '<link rel="stylesheet" href="{url}/a.css">',
    "script": '<script src="{url}/s.js"></script>',
    "img": '<img src="{url}/i.png" alt="">',
    "iframe": '<iframe src="{url}/f.html"></iframe>',
    "style import": "<style>@import url({url}/c.css);</style>",
    "style url": '<p style="background: url({url}/b.png)">x</p>',
}


@pytest.mark.parametrize("case", sorted(REMOTE))
def test_a_remote_resource_in_a_template_is_an_error_where_it_is_written(
        tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str],
        server: tuple[str, list[str]]) -> None:  # noqa: F811 (the fixture)
    """The HTML and EPUB editions published a template's remote resources unchecked (the
    PDF's fetcher refused them): now, as in a chapter's raw HTML, an error at
    FILE:LINE:COL for ``check`` and before any edition is built; nothing is fetched."""
    url, requests = server
    written = REMOTE[case].format(url=url)
    project = _project(tmp_path, "# T\n\nText.\n", {"title.html.j2": f"<p>T</p>\n{written}\n"})
    column = written.index(url) + (written[written.index(url) - 1] != '"')  # at its quote
    expected = f"{project / 'templates' / 'title.html.j2'}:2:{column}: error: 'http://127.0.0."
    for command, options in (("check", []), ("build", ["-f", "all"])):
        status, lines = _run(command, project, capsys, *options)
        assert status == 1 and len(lines) == 1 and lines[0].startswith(expected), lines
        assert "is a remote resource — editions are built offline" in lines[0]
    assert not (project / "build").exists()
    assert requests == []


def test_a_file_outside_the_project_in_a_template_is_an_error_where_it_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path / "book", "# T\n\nText.\n",
                       {"page.html.j2": _page('<img src="../../secret.png" alt="">')})
    status, lines = _run("check", project, capsys)
    assert status == 1
    assert lines == [f"{project / 'templates' / 'page.html.j2'}:{_body_line()}:10: error: "
                     f"resource '../../secret.png' is outside the project folder {project} — "
                     "move the file into the project folder (kzpublish reads nothing outside "
                     "it)"]


def test_a_remote_resource_a_template_computes_is_an_error_at_the_templates(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No literal URL to find in the template: the page as rendered is checked as a
    chapter is, in every edition (the PDF's fetcher would refuse it; HTML and EPUB
    published it)."""
    computed = "<img src=\"{{ 'https:' ~ '//evil.example/c.png' }}\" alt=\"\">"
    project = _project(tmp_path, "# T\n\nText.\n", {
        "page.html.j2": _page(computed),
        "title.html.j2": f"<p>T</p>\n{computed}\n"})
    for fmt in ("html", "epub"):
        status, lines = _run("build", project, capsys, "-f", fmt)
        assert status == 1
        assert lines == [f"{project / 'templates'}: error: <img src> loads "
                         "'https://evil.example/c.png' from the network — editions must work "
                         "offline: download it into the project and use the local copy"]


def test_a_harmless_project_template_still_reaches_every_edition(tmp_path: Path) -> None:
    """The sandbox and the checks leave a template's ordinary work alone: its loops,
    filters, includes, a local picture and links to the web; a file beside the templates
    that is none (a README with Jinja-like text) is not compiled."""
    project = _project(tmp_path, "# T\n\nText.\n", {
        "README.md": "Templates use {{ and {% like <img src=\"https://example.org/x\">\n",
        "title.html.j2": '{% include "part.html.j2" %}\n',
        "part.html.j2": ('<p class="own">{{ meta.title | upper }} {% for a in meta.authors %}'
                         '{{ a }}{% endfor %} <a href="https://example.org/">web</a>'
                         '<img src="data:image/png;base64,iVBORw0KGgo=" alt=""></p>\n')})
    assert main(["build", str(project), "-f", "all", "-q"]) == 0
    page = (project / "build" / "html" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="own">PAYLOADS A\. Author <a href="https://example.org/">', page)
    with zipfile.ZipFile(next((project / "build").glob("*.epub"))) as epub:
        assert any(b'<p class="own">PAYLOADS' in epub.read(name) for name in epub.namelist())
