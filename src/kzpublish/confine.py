"""The project boundary: every file a build reads must resolve inside the project folder.

A book is often built in CI from someone else's manuscript, so nothing a book names
may reach past its folder: not ``../``, not an absolute path, not a symlink out, not a
percent-encoded ``..%2f`` in a URL. The rule is one function, ``inside``, applied by
every reader of files (config, images, styles, fonts, templates, the CSL style) and
by the PDF engine's URL fetcher. Paths are compared after ``Path.resolve`` (symlinks
followed, ``..`` collapsed), URLs after percent-decoding. Remote resources are never
fetched: editions are built offline and must not change with someone's web server.

Raw HTML, project templates and stylesheets are scanned for the URLs the PDF engine
would fetch, so a refusal is reported where the URL is written (FILE:LINE:COL); the
fetcher refuses whatever the scan could not see. A stylesheet of the project is read
with the CSS parser (``check_css``): it is published whole in the HTML and EPUB
editions, whose readers load what the PDF engine would not (``image-set()``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import sanitize
from .errors import Diagnostic, KzError, SourcePos

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_TAG = re.compile(r"""<([a-z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.I)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""")
_CSS_URL = re.compile(r"""url\(\s*("[^"]*"|'[^']*'|(?:\\[0-9a-f]{1,6}\s?|\\.|[^)\s\\])*)\s*\)"""
                      r"""|@import\s+("[^"]*"|'[^']*')""", re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)
_CSS_ESCAPE = re.compile(r"\\([0-9a-f]{1,6})\s?|\\(.)", re.I)
_FETCHED = ("src", "data", "poster", "background")
"""Attributes whose URL the engine loads (a plain link's ``href`` is only followed by
readers, so it is not one)."""
_HREF_FETCHED = ("link", "image", "use", "feimage", "script", "iframe", "embed", "object")
"""Elements whose ``href`` is loaded; ``<a>`` only with rel="attachment" (WeasyPrint
embeds such files in the PDF)."""
OUTSIDE_FIX = "move the file into the project folder (kzpublish reads nothing outside it)"
REMOTE_FIX = ("editions are built offline: download the file into the project and "
              "name it by its path")


_RECORDINGS: ContextVar[tuple[set[Path], ...]] = ContextVar("recordings", default=())
"""The sets ``recording`` is filling (in this thread), innermost last."""


@contextmanager
def recording() -> Iterator[set[Path]]:
    """The paths ``inside`` is asked about meanwhile, in this thread. Every file a stage
    reads or looks for passes the boundary first, so these are the files its result depends
    on besides its arguments: a result kept in the cache is checked against them
    (``read_cache``). A stage that looked in another thread or process would need them
    gathered from there."""
    looked_at: set[Path] = set()
    token = _RECORDINGS.set((*_RECORDINGS.get(), looked_at))
    try:
        yield looked_at
    finally:
        _RECORDINGS.reset(token)


def inside(project: Path, path: Path) -> Path | None:
    """``path`` resolved (symlinks followed, ``..`` collapsed), or None when it lands
    outside ``project``: the boundary every file the build reads must pass. A path that
    cannot be resolved (a NUL byte from ``%00``, a symlink loop) is not let through."""
    for looked_at in _RECORDINGS.get():
        looked_at.add(path)
    try:
        target = path.resolve()
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
        return None
    return target if target.is_relative_to(project.resolve()) else None


def outside(noun: str, name: str, project: Path) -> str:
    """The message for a file that resolves outside the project."""
    return f"{noun} '{name}' is outside the project folder {project} — {OUTSIDE_FIX}"


def require(project: Path, path: Path, pos: SourcePos, noun: str, name: str) -> Path:
    """``inside``, or a ``KzError`` at ``pos`` (where the path was named)."""
    target = inside(project, path)
    if target is None:
        raise KzError.at(pos, outside(noun, name, project))
    return target


def url_problem(url: str, base: Path, project: Path) -> str | None:
    """Why the build must not load ``url`` (relative to folder ``base``), else None.

    ``data:`` URLs and same-document ``#fragments`` read no file; a ``file:`` URL or a
    path (percent-decoded) must resolve inside the project; any other scheme is remote.
    """
    url = url.strip()
    scheme = _SCHEME.match(url)
    if not url or url.startswith("#") or (scheme and scheme[1].lower() == "data"):
        return None
    if scheme and scheme[1].lower() != "file":
        return f"'{url}' is a remote resource — {REMOTE_FIX}"
    path = Path(unquote(urlsplit(url).path))
    if inside(project, path if path.is_absolute() else base / path) is None:
        return outside("resource", url, project)
    return None


def folder_links_out(project: Path, folder: Path) -> list[Diagnostic]:
    """An error for each file in ``folder`` (an override folder such as templates/) that is a
    symlink resolving outside the project."""
    if not folder.is_dir():
        return []
    return [Diagnostic(SourcePos(path), outside("file", path.relative_to(project).as_posix(),
                                                project))
            for path in sorted(folder.rglob("*")) if inside(project, path) is None]


def html_urls(markup: str) -> Iterator[tuple[int, str, str]]:
    """(offset, URL as written, URL decoded) of each resource raw HTML makes the engine
    load: src/data/poster, srcset, resource ``href``s, and ``url()``/``@import`` in
    ``style`` attributes (entities decoded) and ``<style>`` elements (raw text). Markup
    inside a comment loads nothing: it is skipped (a commented-out ``<image>``)."""
    comments = [(found.start(), found.end()) for found in _COMMENT.finditer(markup)]
    for tag in _TAG.finditer(markup):
        if any(start <= tag.start() < end for start, end in comments):
            continue
        name = tag[1].lower()
        attributes = {m[1].lower(): (tag.start(2) + m.start(2), m[2])
                      for m in _ATTRIBUTE.finditer(tag[2]) if m[2]}
        rel = html.unescape(attributes.get("rel", (0, ""))[1].strip("\"'")).lower().split()
        for key, (offset, quoted) in attributes.items():
            value = html.unescape(quoted.strip("\"'"))
            if key == "style":  # at the URL in the value, unless entities moved it
                start = offset + (quoted[0] in "\"'") if "&" not in quoted else None
                yield from ((offset if start is None else start + at, written, url)
                            for at, written, url in css_urls(value))
            elif key == "srcset":
                for candidate in value.split(","):
                    if candidate.split():
                        yield offset, quoted, candidate.split()[0]
            elif key in _FETCHED or (key in ("href", "xlink:href") and (
                    name in _HREF_FETCHED or "attachment" in rel)):
                yield offset, quoted, value
    for style in _STYLE.finditer(markup):
        if any(start <= style.start() < end for start, end in comments):
            continue
        yield from ((style.start(1) + at, written, url)
                    for at, written, url in css_urls(style[1]))


def css_urls(css: str) -> Iterator[tuple[int, str, str]]:
    """(offset, URL as written, URL with CSS escapes decoded) of each ``url()`` and
    ``@import`` in a stylesheet."""
    for match in _CSS_URL.finditer(css):
        written = match[1] if match[1] is not None else match[2]
        offset = match.start(1) if match[1] is not None else match.start(2)
        yield offset, written, _css_unescape(written.strip("\"'"))


def _css_unescape(text: str) -> str:
    return _CSS_ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else m[2], text)


def check_css(css: str, file: Path, base: Path, project: Path) -> list[Diagnostic]:
    """An error at FILE:LINE:COL for each URL in stylesheet ``file`` the build must not
    load (``base``: the folder its relative URLs resolve against). Read with the CSS
    parser (``sanitize.stylesheet_urls``), not ``css_urls``: a stylesheet is published
    whole, so what this pattern cannot see (``image-set("https://…")``, an escaped
    ``u\\72 l(``) would reach the HTML edition's readers."""
    return [Diagnostic(SourcePos(file, line, column), problem)
            for line, column, url in sanitize.stylesheet_urls(css)
            if (problem := url_problem(url, base, project))]


def check_html(markup: str, file: Path, base: Path, project: Path) -> list[Diagnostic]:
    """``check_css`` for the resources markup loads (``html_urls``): a project template's."""
    return [Diagnostic(position(file, markup, offset), problem)
            for offset, _, url in html_urls(markup)
            if (problem := url_problem(url, base, project))]


def position(file: Path, text: str, offset: int) -> SourcePos:
    """The 1-based line and column of ``offset`` in ``text``."""
    before = text[:offset]
    return SourcePos(file, before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)
