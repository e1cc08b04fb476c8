"""What a project's own stylesheets hold that no edition applies as the author meant.

* ``@import``: each edition joins the fonts' ``@font-face`` rules, base.css and its own
  stylesheet into one (``assets.stylesheet``), where an ``@import`` stands after other
  rules and is dropped by WeasyPrint and browsers alike, without a word — and the file it
  names is not carried into the HTML or EPUB edition. A warning at it says to copy the
  rules in. (Inlining the file instead would need its URLs rebased and its media query
  kept; a warning is the honest first step.)
* A stylesheet that is an unchanged copy of an older built-in default, below.

``kzpublish new`` copies the default stylesheets into the project (``scaffold``: authors
see and edit the CSS the build uses), and a project file replaces the built-in one of its
name (``assets``). A copy nobody edited then hides every later fix of the default: a book
made last year keeps last year's footnote and page rules, without a word. Like dpkg with
a package's configuration files, kzpublish knows the digest of every version of each
default it has shipped (``data/styles/shipped.json``, kept by ``tools/style_digests.py``);
a project file equal to one of them but not to today's is a warning: deleting it gives
today's default, which is what the author had chosen by leaving it unedited.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from . import confine
from .assets import BUILTIN_STYLES, STYLESHEETS
from .errors import Diagnostic, SourcePos

SHIPPED = BUILTIN_STYLES / "shipped.json"
_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
_IMPORT = re.compile(r"@import\b", re.I)


def digest(text: str) -> str:
    """The digest a stylesheet is known by: its text with Windows line ends made Unix
    ones, as a checkout or an editor may have turned them."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def shipped() -> dict[str, list[str]]:
    """The digests of every shipped version of each built-in stylesheet, by file name."""
    found: dict[str, list[str]] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    return found


def warnings(project: Path) -> list[Diagnostic]:
    """The warnings about the project's stylesheets, each file read once: a former
    default left unedited, an ``@import``."""
    known = shipped()
    found = []
    for name in STYLESHEETS:
        local = project / "styles" / name
        text = _own_text(project, local)
        if text is not None:
            found += _stale_copy(name, local, text, known) + _imports(name, local, text)
    return found


def _imports(name: str, local: Path, text: str) -> list[Diagnostic]:
    """A warning at each ``@import`` of the stylesheet (outside comments)."""
    uncommented = _COMMENT.sub(lambda comment: " " * len(comment[0]), text)
    return [Diagnostic(
        confine.position(local, text, rule.start()),
        "@import is not applied: each edition joins the fonts' rules and its "
        "stylesheets into one, where an @import after other rules is dropped — copy "
        f"the imported rules into styles/{name}", "warning")
        for rule in _IMPORT.finditer(uncommented)]


def _stale_copy(name: str, local: Path, text: str,
                known: dict[str, list[str]]) -> list[Diagnostic]:
    """A warning at the stylesheet if it is a former default of ``name`` left unedited."""
    current = digest((BUILTIN_STYLES / name).read_text(encoding="utf-8"))
    copied = digest(text)
    if copied == current or copied not in known.get(name, ()):
        return []
    return [Diagnostic(
        SourcePos(local, 1, 1),
        f"an unedited copy of an older kzpublish default {name}, which hides the "
        "default's fixes since — delete it to use today's default (or compare it with "
        f"a fresh `kzpublish new` project's styles/{name})", "warning")]


def _own_text(project: Path, local: Path) -> str | None:
    """The text of the project's stylesheet, or None: no such file, one outside the
    project (``assets.style_path`` refuses it where it is used), or a link to the
    built-in file itself (the demo's) — or a file that is not UTF-8 (an error where it is
    read)."""
    if not local.is_file() or confine.inside(project, local) is None:
        return None
    if local.resolve().is_relative_to(BUILTIN_STYLES.resolve()):
        return None
    try:
        return local.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
