"""jinja2 adapter: the built-in templates, overridable per project, strict and escaped.

Lookup order is PROJECT/templates/ then the package's templates/ (MkDocs'
theme override habit). ``StrictUndefined`` turns a typo in a template into an
error instead of an empty string in a printed book.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from . import intl

BUILTIN = Path(__file__).parent / "templates"


@cache
def _environment(project: Path) -> jinja2.Environment:
    loader = jinja2.FileSystemLoader([str(project / "templates"), str(BUILTIN)])
    environment = jinja2.Environment(
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xhtml", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["human_date"] = intl.human_date
    return environment


def render(project: Path, name: str, **context: Any) -> str:
    """Render template ``name`` with ``context``; HTML strings must be marked ``safe``."""
    return _environment(project.resolve()).get_template(name).render(**context)


def safe(html: str) -> Any:
    """Mark trusted HTML (our own rendered chapters) so autoescape leaves it alone."""
    return jinja2.utils.markupsafe.Markup(html)
