"""The ``citation-label`` variable: a reference's own label, else a trigraph of authors, year.

CSL 1.0.2 lists ``citation-label`` among the variables a processor supplies; citeproc-py
renders only what the data holds. citeproc-js (``getCitationLabel``) builds one when the
data gives none, from the first name variable a reference has and its year, after the
pattern "Aaaa00:AaAa00:AaAA00:AAAA00": one author gives four letters of the family name
and two of the year ("Asth00"), two give two letters each ("BrCh98"), three give 2+1+1,
four or more one letter of the first four ("DEFG26"). A reference without names takes the
first letters of its title (skip-words left out); without a year, "0000".

``fill`` writes each label into the reference's data once, when the style prints one;
disambiguation appends the year suffix to it (``suffixed``), as citeproc-js appends it to a
rendered label, so "Asth00a" and "Asth00b" tell two look-alike cites apart.
"""

from __future__ import annotations

import re
from typing import Any

from .text import STOP_WORDS

_PATTERN = "Aaaa00:AaAa00:AaAA00:AAAA00"
"""citeproc-js's default trigraph: a configuration for one, two, three, four+ names."""

_NAME_VARIABLES = (
    "author", "chair", "collection_editor", "compiler", "composer", "container_author",
    "contributor", "curator", "director", "editor", "editor_translator",
    "editorial_director", "executive_producer", "guest", "host", "illustrator",
    "interviewer", "narrator", "organizer", "original_author", "performer", "producer",
    "recipient", "reviewed_author", "script_writer", "series_creator", "translator")
"""CSL's name variables in citeproc-js's order (``CSL.NAME_VARIABLES``)."""

_PARTICLE = re.compile(r"^[ '\u2019a-z]+\s+")
"""A lower-case particle before a family name ("von Dipheria" → "Dipheria")."""
_ARTICLE = re.compile(r"^(a|an|the)\s+", re.IGNORECASE)
_NOT_LETTER = re.compile(r"[\W\d_]+")
_KEY = "citation_label"
_BASE = "_kz_citation_label"
"""Where ``fill`` keeps the label without year suffix."""


def _configurations(pattern: str = _PATTERN) -> list[tuple[list[int], int]]:
    """Each configuration as (letters taken of each name, digits of the year)."""
    found = []
    for part in pattern.split(":"):
        letters: list[int] = []
        for mark in part:
            if mark == "A":
                letters.append(1)
            elif mark == "a":
                letters[-1] += 1
        found.append((letters, part.count("0")))
    return found


_CONFIGURATIONS = _configurations()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:].lower()


def _from_names(names: list[Any], letters: list[int]) -> str:
    label = ""
    for name, count in zip(names, letters, strict=False):
        family = name.get("family")
        text = _PARTICLE.sub("", str(family)) if family else str(name.get("literal") or "")
        text = _NOT_LETTER.sub("", _ARTICLE.sub("", text))
        if not text:
            break
        label += _capitalised(text[:count])
    return label


def _from_title(reference: Any, letters: int) -> str:
    title = str(reference.get("title") or "")
    words = [word for word in title.split() if word.lower() not in STOP_WORDS]
    return _capitalised("".join(words)[:letters])


def trigraph(reference: Any) -> str:
    """The label citeproc-js builds for a reference that gives none."""
    letters, digits = _CONFIGURATIONS[0]
    label = ""
    for variable in _NAME_VARIABLES:
        names = reference.get(variable)
        if names:
            letters, digits = _CONFIGURATIONS[min(len(names), len(_CONFIGURATIONS)) - 1]
            label = _from_names(list(names), letters)
            break
    if not label:
        label = _from_title(reference, _CONFIGURATIONS[0][0][0])
    year = getattr(reference.get("issued"), "year", None)
    return label + str(year or "0000")[-digits:]


def prints_label(style_root: Any) -> bool:
    """Whether the style renders citation-label anywhere (its sorts included)."""
    return bool(style_root.xpath(".//*[@variable='citation-label']"))


def fill(source: Any) -> None:
    """Give every reference of SOURCE its label: its own, else its trigraph."""
    for reference in source.values():
        label = reference.get(_KEY) or trigraph(reference)
        reference[_BASE] = reference[_KEY] = label


def suffixed(reference: Any, suffix: str | None) -> None:
    """The reference's label with SUFFIX (a year suffix) appended, or without one."""
    if _BASE in reference:
        reference[_KEY] = reference[_BASE] + (suffix or "")
