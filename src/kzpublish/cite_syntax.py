"""Pandoc's citation syntax as two markdown-it inline rules.

``[see @a, p. 3; -@b]`` (bracketed) and ``@key`` / ``@key [p. 3]`` (narrative)
become ``citation`` tokens whose ``meta["items"]`` hold ``CiteItem`` drafts
(``meta["source"]``: the citation as written, which a heading's auto id is made of).
The rules only recognise syntax; which keys exist is the citations stage's
business. Kept free of markdown-it imports: the rules see only ``state``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Pandoc: a key starts with a letter, digit or _, and may hold internal
# punctuation; trailing punctuation belongs to the sentence, not the key.
_KEY = r"[\w](?:[\w]|[:.#$%&\-+?<>~/](?=[\w]))*"
KEY_RE = re.compile(rf"@(?:\{{(?P<braced>[^}}]+)\}}|(?P<key>{_KEY}))")
_ITEM_RE = re.compile(
    rf"^(?P<prefix>.*?)(?P<minus>-?)@(?:\{{(?P<braced>[^}}]+)\}}|(?P<key>{_KEY}))(?P<rest>.*)$",
    re.S)

# Locator labels as authors type them (English, Russian, German and French: the CSL
# locales' short terms) → CSL locator terms. Pandoc reads the document language's; one
# table for all keeps the reader free of the language, and a label is one language's.
LOCATOR_LABELS: dict[str, str] = {
    "p.": "page", "pp.": "page", "page": "page", "pages": "page",
    "ch.": "chapter", "chap.": "chapter", "chaps.": "chapter",
    "chapter": "chapter", "chapters": "chapter",
    "sec.": "section", "secs.": "section", "section": "section", "sections": "section",
    "§": "section", "§§": "section",
    "vol.": "volume", "vols.": "volume", "volume": "volume",
    "fig.": "figure", "figs.": "figure", "figure": "figure",
    "n.": "note", "nn.": "note", "note": "note", "notes": "note",
    "para.": "paragraph", "paras.": "paragraph", "¶": "paragraph",
    "l.": "line", "ll.": "line", "line": "line", "lines": "line",
    "col.": "column", "cols.": "column", "bk.": "book", "bks.": "book",
    "no.": "issue", "nos.": "issue", "pt.": "part", "pts.": "part",
    "v.": "verse", "vv.": "verse", "op.": "opus", "s.v.": "sub verbo",
    "с.": "page", "стр.": "page", "гл.": "chapter", "разд.": "section",
    "т.": "volume", "рис.": "figure", "прим.": "note", "абз.": "paragraph",
    "стб.": "column", "кн.": "book", "ч.": "part", "№": "issue",
    "S.": "page", "Seite": "page", "Seiten": "page", "Bd.": "volume", "Bde.": "volume",
    "Kap.": "chapter", "Abschn.": "section", "Abs.": "paragraph", "Anm.": "note",
    "Fn.": "note", "Sp.": "column", "Abb.": "figure", "Z.": "line", "Nr.": "issue",
    "Tl.": "part", "V.": "verse", "Buch": "book",
    "paragr.": "paragraph", "sect.": "section", "liv.": "book", "n°": "issue",
}
_LABELS_RE = "|".join(re.escape(k) for k in sorted(LOCATOR_LABELS, key=len, reverse=True))
_ROMAN = r"[IVXLCDMivxlcdm]+(?:\s*[-–]\s*[IVXLCDMivxlcdm]+)?\b"
_VALUE = rf"[\w\-–—.:/]*\d[\w\-–—.:/]*|{_ROMAN}"
_LOCATOR_RE = re.compile(
    rf"^\s*(?:(?P<label>{_LABELS_RE})\s*)?(?P<value>(?:{_VALUE})(?:\s*,\s*(?:{_VALUE}))*)"
    rf"(?P<rest>.*)$", re.S)
_BRACED_RE = re.compile(
    rf"^\s*\{{(?:(?P<label>{_LABELS_RE})\s*)?(?P<value>[^{{}}]*)\}}(?P<rest>.*)$", re.S)


@dataclass(frozen=True)
class ItemDraft:
    """A cite item as parsed, before positions are known."""

    key: str
    offset: int
    """Offset of the ``@`` in the inline source, for error positions."""
    prefix: str = ""
    suffix: str = ""
    locator: str = ""
    label: str = "page"
    suppress_author: bool = False


def split_locator(rest: str) -> tuple[str, str, str]:
    """Split the text after a key into (label, locator, suffix), as pandoc does.

    ``, p. 33, and passim`` → ("page", "33", ", and passim"); the comma may be left out
    (``@key p. 33``, ``@key 33``: then a label or a number must begin it), and
    ``{pp. iv, vi-xi}`` in braces is a locator whatever it holds. A bare number counts
    as a page. ``--`` is an en dash there, as pandoc's smart typography makes it.
    """
    comma = rest.startswith(",")
    text = _dashed(rest[1:] if comma else rest)
    braced = _BRACED_RE.match(text)
    if braced and braced["value"].strip():
        return _located(braced["label"], braced["value"].strip(), braced["rest"])
    match = _LOCATOR_RE.match(text)
    if not match or not (comma or text[:1].isspace()) or not (
            comma or match["label"] or any(c.isdigit() for c in match["value"])):
        return "page", "", rest.strip()
    value = match["value"].rstrip(".:")
    trailing = match["value"][len(value):]
    return _located(match["label"], value, trailing + match["rest"])


def _located(label: str | None, value: str, suffix: str) -> tuple[str, str, str]:
    return LOCATOR_LABELS[label] if label else "page", value, suffix.strip()


def _dashed(text: str) -> str:
    """Pandoc's smart dashes: ``---`` an em dash, ``--`` an en dash."""
    return text.replace("---", "—").replace("--", "–")


def parse_bracketed(content: str, base: int) -> list[ItemDraft] | None:
    """Parse the inside of ``[...]``; None unless every ``;`` part holds a key."""
    items = []
    offset = base
    for part in content.split(";"):
        match = _ITEM_RE.match(part)
        if not match:
            return None
        label, locator, suffix = split_locator(match["rest"])
        items.append(ItemDraft(
            key=match["braced"] or match["key"],
            offset=offset + match.start("minus") + len(match["minus"]),
            prefix=match["prefix"].strip(),
            suffix=suffix,
            locator=locator,
            label=label,
            suppress_author=bool(match["minus"]),
        ))
        offset += len(part) + 1
    return items


def _matching_bracket(src: str, start: int) -> int:
    """Index of the ``]`` closing the ``[`` at ``start``, or -1."""
    depth = 0
    for index in range(start, len(src)):
        char = src[index]
        if char == "\\":
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
    return -1


def bracketed_rule(state: Any, silent: bool) -> bool:
    """``[prefix @key, locator suffix; …]`` → a citation token."""
    src, pos = state.src, state.pos
    if src[pos] != "[" or src.startswith("[^", pos):
        return False
    end = _matching_bracket(src, pos)
    if end < 0 or "@" not in src[pos:end]:
        return False
    items = parse_bracketed(src[pos + 1:end], pos + 1)
    if not items:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": items, "narrative": False, "source": src[pos:end + 1]}
    state.pos = end + 1
    return True


def narrative_rule(state: Any, silent: bool) -> bool:
    """``@key``, ``@key [p. 3]``, ``@key [p. 3; see @other]`` or ``@key [see @other]``
    outside brackets → a narrative citation: its first item's author in the sentence, the
    others cited as in brackets ("Knuth (1984, 3; see Lamport 1994)"), as pandoc reads
    them."""
    src, pos = state.src, state.pos
    if src[pos] != "@" or (pos > 0 and (src[pos - 1].isalnum() or src[pos - 1] in "_@")):
        return False
    match = KEY_RE.match(src, pos)
    if not match:
        return False
    end = match.end()
    label, locator, suffix = "page", "", ""
    others: list[ItemDraft] = []
    after = re.match(r" ?\[([^\]\[]*)\]", src[end:])
    first, _, rest = after[1].partition(";") if after else ("", "", "")
    if after and "@" in after[1]:  # "[p. 3; see @other]": the others need keys of their own
        start = end + after.start(1)
        if "@" in first:  # "@a [see @b]": a bracketed citation after it, all of it others
            first, parsed = "", parse_bracketed(after[1], start)
        else:
            parsed = parse_bracketed(rest, start + len(first) + 1) if rest else None
        after, others = (after, parsed) if parsed else (None, [])
    if after:  # pandoc reads it as after a comma: "@a [foo 3]" is "(A 2000, foo 3)"
        if first.strip():
            label, locator, suffix = split_locator(", " + first.lstrip(", "))
        end += after.end()
    if not silent:
        token = state.push("citation", "", 0)
        item = ItemDraft(key=match["braced"] or match["key"], offset=pos,
                         suffix=suffix, locator=locator, label=label)
        token.meta = {"items": [item, *others], "narrative": True, "source": src[pos:end]}
    state.pos = end
    return True
