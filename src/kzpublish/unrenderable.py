"""The reference citeproc-py cannot render, found when rendering failed, for an error at it.

Reference data is checked and normalised when it is read (``bibliography``, ``bib_dates``),
but citeproc-py may still stop on a value nobody foresaw, and an author then saw a
traceback naming no reference. When the citations stage fails with an internal error,
this module renders the references again, halving the list until one reference alone
fails, and names it at its FILE:LINE with citeproc-py's own words. Only the failure path
pays for it; a failure no single reference causes stays the bug it is.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import bibliography
from .errors import Diagnostic

Renders = Callable[[list[dict[str, Any]]], None]
"""Render these items (each cited alone, and their entries); raise on failure."""


def culprit(references: bibliography.References, renders: Renders,
            failure: Exception) -> Diagnostic | None:
    """An error at the one reference that does not render, or None if none fails alone."""
    found = _failing(references.items, renders)
    if found is None:
        return None
    item, error = found
    key = str(item.get("id"))
    return Diagnostic(references.positions[key],
                      f"reference '{key}' cannot be rendered in this style "
                      f"({type(error).__name__}: {error or failure}) — check its fields; "
                      "if they are right, this is a kzpublish bug: please report it")


def _failing(items: list[dict[str, Any]],
             renders: Renders) -> tuple[dict[str, Any], Exception] | None:
    try:
        renders(copy.deepcopy(items))
    except Exception as error:  # what citeproc-py raised is the finding
        if len(items) == 1:
            return items[0], error
        half = len(items) // 2
        return _failing(items[:half], renders) or _failing(items[half:], renders)
    return None
