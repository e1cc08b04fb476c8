"""Pandoc attribute blocks ``{#id .class key=value}``: parsed, and written as HTML attributes.

One syntax for every place Pandoc takes attributes (images, links, code spans, bracketed
spans, fenced divs). ``{=html}`` after a code span or in a fence's info is a raw
attribute, not a set of attributes: it is kept apart as ``raw_format``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_PART = re.compile(r"""\s*(?:\#(?P<id>[\w:.-]+)|\.(?P<cls>[\w:-]+)|=(?P<raw>[\w-]+)
                   |(?P<key>[\w:.-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s}"']+))
                   |(?P<minus>-)(?=[\s}]))""", re.X)
_END = re.compile(r"\s*\}")
# Attributes HTML knows on any element; Pandoc writes the others as data-KEY (HTML5 rules).
_HTML_KEYS = frozenset({"id", "class", "style", "title", "lang", "dir", "hidden", "role",
                        "translate", "tabindex", "accesskey", "width", "height"})
_PIXELS = re.compile(r"^(\d+(?:\.\d+)?)(?:px)?$")


@dataclass(frozen=True)
class Attributes:
    """What an attribute block says."""

    ident: str = ""
    classes: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    """``key=value`` pairs in the order written."""
    raw_format: str = ""
    """``{=html}``: the content is raw text in that output format."""


def parse(text: str, start: int = 0) -> tuple[Attributes, int] | None:
    """The attribute block whose ``{`` is at TEXT[START], and the index after its ``}``."""
    if not text.startswith("{", start):
        return None
    ident, classes, pairs, raw = "", [], [], ""
    pos = start + 1
    while not (end := _END.match(text, pos)):
        part = _PART.match(text, pos)
        if part is None or part.end() == pos:
            return None
        ident = part["id"] or ident
        raw = part["raw"] or raw
        if part["cls"] or part["minus"]:
            classes.append(part["cls"] or "unnumbered")
        if part["key"]:
            value = next(v for v in (part["dq"], part["sq"], part["bare"]) if v is not None)
            pairs.append((part["key"], value))
        pos = part.end()
    return Attributes(ident, tuple(classes), tuple(pairs), raw), end.end()


def parse_whole(text: str) -> Attributes | None:
    """TEXT as one attribute block and nothing else (a fence's or a div's info)."""
    found = parse(text.strip())
    return found[0] if found and found[1] == len(text.strip()) else None


def html_pairs(attributes: Attributes, tag: str = "") -> list[tuple[str, str]]:
    """The HTML attributes Pandoc writes for ATTRIBUTES on a TAG element.

    On images, a width or height in pixels stays an attribute and any other unit
    becomes CSS (``width=50%`` → ``style="width:50%"``), as Pandoc's HTML writer does.
    """
    pairs: list[tuple[str, str]] = []
    styles: list[str] = []
    if attributes.ident:
        pairs.append(("id", attributes.ident))
    if attributes.classes:
        pairs.append(("class", " ".join(attributes.classes)))
    for key, value in attributes.pairs:
        if key in ("width", "height") and tag == "img" and not _PIXELS.match(value):
            styles.append(f"{key}:{value}")
        elif key in ("width", "height") and tag == "img":
            pairs.append((key, _PIXELS.sub(r"\1", value)))
        elif key == "style":
            styles.append(value.rstrip(";"))
        else:
            known = key in _HTML_KEYS or key.startswith(("data-", "aria-"))
            pairs.append((key if known else f"data-{key}", value))
    if styles:
        pairs.append(("style", ";".join(styles)))
    return pairs


def apply(token: Any, attributes: Attributes, tag: str = "") -> None:
    """Set ATTRIBUTES on a markdown-it TOKEN (classes added to those it has)."""
    for key, value in html_pairs(attributes, tag):
        if key == "class":
            token.attrJoin(key, value)
        else:
            token.attrSet(key, value)
