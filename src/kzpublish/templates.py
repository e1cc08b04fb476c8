"""jinja2 adapter: the built-in templates, overridable per project, strict and escaped.

Lookup order is PROJECT/templates/ then the package's templates/ (MkDocs'
theme override habit). ``StrictUndefined`` turns a typo in a template into an
error instead of an empty string in a printed book.

In untrusted mode (``Config.untrusted``) project templates are refused, each an
error at its file, and only the built-in ones are loaded. Jinja2's
``SandboxedEnvironment`` was the alternative and is not enough here:
- it blocks ``_``-attributes (``''.__class__``, ``cycler.__init__.__globals__``,
  ``self._TemplateReference__context``) but lets a template call any public method
  of what the context holds, and the context holds ``Path``s
  (``chapter.source.file``): ``read_text()`` publishes any file and
  ``write_text()`` writes one — both tried and working under the sandbox;
- a template writes the page's markup itself, so even a perfect sandbox would let
  it put ``<script>`` or remote resources into every edition, past the raw-HTML
  allow-list (``sanitize``);
- it bounds ``range`` but not CPU or memory (``'x' * 10**10``).
Refusing is the one choice that keeps untrusted mode's promise; the message says
how to build with the templates once they are reviewed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import intl
from .config import Config
from .errors import Diagnostic, SourcePos

if TYPE_CHECKING:
    import jinja2

BUILTIN = Path(__file__).parent / "templates"
OVERRIDES = "templates"
"""The project's folder of template overrides."""


@cache
def _environment(project: Path, untrusted: bool) -> jinja2.Environment:
    import jinja2  # here, not with the module: a build that keeps its editions renders no
    # template (``refused`` and the folders' names are all it asks of this module)
    folders = [str(BUILTIN)] if untrusted else [str(project / OVERRIDES), str(BUILTIN)]
    environment = jinja2.Environment(
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
    """Render template ``name`` with ``context``; HTML strings must be marked ``safe``."""
    environment = _environment(config.project.resolve(), config.untrusted)
    return environment.get_template(name).render(**context)


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
