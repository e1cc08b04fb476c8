"""jinja2 adapter: the built-in templates, overridable per project, sandboxed, strict and escaped.

Lookup order is PROJECT/templates/ then the package's templates/ (MkDocs'
theme override habit). ``StrictUndefined`` turns a typo in a template into an
error instead of an empty string in a printed book.

Templates run in Jinja2's ``ImmutableSandboxedEnvironment``, with the attributes of
paths refused too: the sandbox blocks ``_``-attributes (``''.__class__``,
``cycler.__init__.__globals__``) and changing what the template is given, but would let
it call a ``Path``'s public methods (``chapter.source.file.read_text()`` reads any file,
``write_text()`` writes one). So even in trusted mode a project template cannot read or
write outside the project; what it writes into the page is held to the same rule as a
chapter's raw HTML (``problems``, ``render``): a remote resource or a file outside the
project is an error at its FILE:LINE:COL.

In untrusted mode (``Config.untrusted``) project templates are refused, each an
error at its file, and only the built-in ones are loaded: the sandbox bounds ``range``
but not CPU or memory (``'x' * 10**10``), and a template writes the page's markup
itself, past the raw-HTML allow-list (``sanitize``). Refusing is the one choice that
keeps untrusted mode's promise; the message says how to build with the templates once
they are reviewed.
"""

from __future__ import annotations

import traceback
from functools import cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from . import confine, intl, sanitize
from .config import Config
from .errors import Diagnostic, KzError, ManuscriptError, SourcePos, read_text

if TYPE_CHECKING:
    import jinja2
    import jinja2.sandbox

BUILTIN = Path(__file__).parent / "templates"
OVERRIDES = "templates"
"""The project's folder of template overrides."""
_FIX = "fix the template, or remove it to use the built-in one"


@cache
def _sandbox() -> type[jinja2.sandbox.ImmutableSandboxedEnvironment]:
    """Jinja2's sandbox, refusing the attributes of paths as well (see the docstring);
    made on first use, as jinja2 is imported: a build that keeps its editions renders no
    template."""
    import jinja2.sandbox

    class Sandbox(jinja2.sandbox.ImmutableSandboxedEnvironment):
        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            return not isinstance(obj, PurePath) and super().is_safe_attribute(obj, attr, value)

    return Sandbox


@cache
def _environment(project: Path, untrusted: bool) -> jinja2.Environment:
    import jinja2
    folders = [str(BUILTIN)] if untrusted else [str(project / OVERRIDES), str(BUILTIN)]
    environment = _sandbox()(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=jinja2.select_autoescape(["html", "xhtml", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["human_date"] = intl.human_date
    return environment


def render(config: Config, name: str, **context: Any) -> str:
    """Render template ``name`` with ``context``; HTML strings must be marked ``safe``.

    A project template's mistake (a syntax error, an unknown variable or template, what
    the sandbox refuses, an endless include) is an error at its FILE:LINE; a remote
    resource it writes where no literal URL showed (``src="{{ 'https:' ~ … }}"``), one at
    its folder.
    """
    import jinja2
    project = config.project.resolve()
    try:
        page = _environment(project, config.untrusted).get_template(name).render(**context)
    except (jinja2.TemplateError, RecursionError) as error:
        raise _positioned(error, config) from None
    if _overrides(config):
        try:
            sanitize.offline(_written_by_templates(page, context), config.project / OVERRIDES, [])
        except ManuscriptError as error:  # a template included twice: its URL said once
            raise ManuscriptError(list(dict.fromkeys(error.diagnostics))) from None
    return page


def _written_by_templates(page: str, context: dict[str, Any]) -> str:
    """``page`` without its chapters' HTML, each found in order: what the templates wrote.
    The chapters passed ``sanitize.offline`` when read, and scanning a long book's text
    again took a second a megabyte."""
    parts, start = [], 0
    for chapter in context.get("chapters", ()):
        found = page.find(chapter.html, start) if chapter.html else -1
        if found >= 0:
            parts.append(page[start:found])
            start = found + len(chapter.html)
    return "".join(parts) + page[start:]


def _positioned(error: Exception, config: Config) -> Exception:
    """``error`` as a ``KzError`` at the line of the project template that failed (the last
    one on the way); a failure in no project template is a bug, left as it is."""
    import jinja2
    folder, shown = config.project.resolve() / OVERRIDES, config.project / OVERRIDES
    frames: list[tuple[Path, int | None]]
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        frames = [(Path(error.filename), error.lineno)]
    else:
        frames = [(Path(frame.filename), frame.lineno) for frame
                  in traceback.extract_tb(error.__traceback__)
                  if Path(frame.filename).is_relative_to(folder)
                  or Path(frame.filename).is_relative_to(BUILTIN)]
    if not frames or not frames[-1][0].is_relative_to(folder):
        return error
    file, line = frames[-1]
    return KzError.at(SourcePos(shown / file.relative_to(folder), line), _what(error))


def _what(error: Exception) -> str:
    """What went wrong in a project template, and what to do."""
    import jinja2
    if isinstance(error, jinja2.TemplateNotFound):
        return (f"template '{error.name}' not found — a template includes or imports other "
                "templates by their name in templates/ (or a built-in one's)")
    if isinstance(error, RecursionError):
        return "the template includes itself without end — stop the chain of includes"
    text = error.message if isinstance(error, jinja2.TemplateError) else None
    return f"{(text or str(error)).rstrip('.')} — {_FIX}"


def _overrides(config: Config) -> list[Path]:
    """The project's template files (``*.j2``, as the built-in ones are named; a README or
    picture beside them is none): none in untrusted mode."""
    folder = config.project / OVERRIDES
    if config.untrusted or not folder.is_dir():
        return []
    return [path for path in sorted(folder.rglob("*.j2"))
            if path.is_file() and confine.inside(config.project, path)]


def problems(config: Config) -> list[Diagnostic]:
    """What is wrong with the project's templates, found before anything is built.

    Untrusted mode: each one, refused. Trusted: each that cannot be compiled, and each
    resource one writes that the build must not load — a remote one, or a file outside
    the project — as a chapter's raw HTML is held (``confine``, relative to manuscript/).
    """
    if config.untrusted:
        return refused(config)
    found: list[Diagnostic] = []
    for path in _overrides(config):
        import jinja2
        environment = _environment(config.project.resolve(), config.untrusted)
        text = read_text(path)
        try:
            environment.parse(text, str(path), str(path))
        except jinja2.TemplateSyntaxError as error:
            found.append(Diagnostic(SourcePos(path, error.lineno), f"{error.message} — {_FIX}"))
        found += confine.check_html(text, path, config.manuscript, config.project)
    return found


def refused(config: Config) -> list[Diagnostic]:
    """In untrusted mode, an error at each project template (none in trusted mode)."""
    folder = config.project / OVERRIDES
    if not config.untrusted or not folder.is_dir():
        return []
    return [Diagnostic(SourcePos(path), "project templates are not used in untrusted mode "
                       "(--untrusted, KZPUBLISH_UNTRUSTED): a template is code run by the build — "
                       "review it, then build in trusted mode, or remove it")
            for path in sorted(folder.rglob("*")) if path.is_file() or path.is_symlink()]


def safe(html: str) -> Any:
    """Mark trusted HTML (our own rendered chapters) so autoescape leaves it alone."""
    import jinja2
    return jinja2.utils.markupsafe.Markup(html)
