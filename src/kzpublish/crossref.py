"""Numbers figures, tables, equations and sections and resolves references to them.

pandoc-crossref's syntax (``@fig:x``, ``[@fig:x; @tbl:y]``, ``[-@eq:x]``, ``@Fig:x``) and
Quarto's (``@fig-x``) look like citations, so the reader parses them as citations; this
stage, run between the reader and the citations stage, takes every item whose key starts
with a known prefix out of the book's citations, so crossref keys never reach CSL.

What is numbered is what carries a labelled id, as in pandoc-crossref and Quarto
(an unlabelled figure stays unnumbered): ``<figure id="fig:x">``, ``<table id="tbl:x">``,
``<div class="equation" id="eq:x">``, any element with ``id="lst:x"``, and headings
``<hN id="sec:x">``. Figures, tables, equations and listings are numbered 1, 2, 3…
through the whole book (pandoc-crossref's default), in reading order, or with book.toml's
``number-within-chapters`` 1.1, 1.2, 2.1… (pandoc-crossref's ``chapters``, Quarto's
books): the chapter's number is its place among the chapters that open with a numbered
level-1 heading (the number ``number-sections`` gives it), and a chapter without one (a
preface marked ``{-}``) numbers its own 1, 2… without a prefix, as Quarto does; sections, when
book.toml says ``number-sections = true``, "1", "1.1"… as Pandoc's ``--number-sections``
does (its markup too: ``data-number`` and ``<span class="header-section-number">``).

Choices, where pandoc-crossref leaves them open or its defaults read badly in a book:

* references are links (pandoc-crossref's ``linkReferences``), the prefix inside the
  link of a lone reference (``nameInLink``) — a wider target to tap; prefix and number
  are joined by a no-break space, as pandoc-crossref joins them;
* three or more consecutive numbers collapse into a range with an en dash ("figs. 1–3";
  pandoc-crossref's ``rangeDelim`` is a hyphen, the en dash is the typographic range);
* Russian (and Ukrainian) captions follow GOST 7.32 / 2.105: «Рисунок 1 — Название»,
  «Таблица 1 — Название»; references «рис. 1», «табл. 1», «разд. 2.1», and an equation
  is referred to by its number in parentheses, «(1)», the author writing «в формуле»;
* a reference to a section without a number (``number-sections`` off, or a heading
  marked ``{-}``) prints the section's title: pandoc-crossref would print a number
  the reader sees nowhere;
* ``[@fig:x; @smith2020]`` is split as pandoc-crossref splits it: the cross-references
  first, then the citation of the rest, joined by a comma.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from . import intl
from .config import Config
from .errors import Diagnostic, ManuscriptError
from .model import Book, Chapter, Citation, CiteItem, Heading

KINDS = ("fig", "tbl", "eq", "lst", "sec")
"""The id prefixes pandoc-crossref and Quarto give a meaning; ``fig:x`` or ``fig-x``."""
_NOUNS = {"fig": "figure", "tbl": "table", "eq": "equation", "lst": "listing",
          "sec": "section"}
_KEY = re.compile(r"^(?P<kind>fig|tbl|eq|lst|sec)(?P<sep>[:-])(?P<name>.+)$", re.I)
_LABELLED = re.compile(r'<(?P<tag>[a-zA-Z][a-zA-Z0-9]*)\b(?P<attrs>[^>]*?)'
                       r'\sid="(?P<id>(?:fig|tbl|eq|lst)[:-][^"]+)"[^>]*>')
_LISTING_CAPTION = re.compile(r'\sdata-caption="([^"]*)"')
_HEADING = re.compile(r'<h(?P<level>[1-6])(?P<attrs>[^>]*?\sid="(?P<id>[^"]+)"[^>]*)>')
_MARKER = re.compile(r'<kz-cite n="(\d+)"></kz-cite>')
_MISSING = "??"
"""What an unresolved reference prints where it is only checked (pandoc-crossref's)."""


@dataclass(frozen=True)
class Target:
    """Something a cross-reference can point at."""

    id: str
    number: str
    """"3", "2.1"; empty for a section without a number (its title stands instead)."""
    title: str = ""


_CAPTIONED = {
    "fig": re.compile(r'<figure\b[^>]*\sid="(fig[:-][^"]+)"[^>]*>.*?<figcaption\b[^>]*>(.*?)'
                      r'</figcaption>', re.S),
    "tbl": re.compile(r'<table\b[^>]*\sid="(tbl[:-][^"]+)"[^>]*>\s*<caption\b[^>]*>(.*?)'
                      r'</caption>', re.S),
}
_TAG = re.compile(r"<[^>]+>")
_NOTE_CALL = re.compile(r'<sup class="footnote-ref">.*?</sup>', re.S)


def captions(chapter: Chapter, kind: str) -> list[tuple[str, str]]:
    """The labelled figures ("fig") or tables ("tbl") of a numbered chapter, in order:
    (id, caption as text, "Figure 1: …") — what lists of figures and tables show. A note
    called in a caption (a note style's citation) is not called from the list: its
    number read as part of the caption ("Einwohnerzahlen18")."""
    return [(ident, " ".join(html.unescape(_TAG.sub("", _NOTE_CALL.sub("", caption))).split()))
            for ident, caption in _CAPTIONED[kind].findall(chapter.html)]


def is_crossref(key: str) -> bool:
    """Whether a citation key is a cross-reference (``fig:x``, ``Tbl-y``…), not a reference."""
    return bool(_KEY.match(key))


def resolve(book: Book, config: Config) -> Book:
    """The book numbered and its cross-references resolved; ``ManuscriptError`` listing
    every reference to an id that does not exist."""
    numbered, problems = apply(book, config)
    if problems:
        raise ManuscriptError(problems)
    return numbered


def apply(book: Book, config: Config) -> tuple[Book, list[Diagnostic]]:
    """The book numbered, and its problems as errors: an id labelling two things, and
    references to ids nothing has (printed "??")."""
    labels = intl.labels(book.meta.language)
    problems: list[Diagnostic] = []
    chapters, targets = _numbered(book.chapters, labels, config, problems)
    resolved = tuple(_with_references(chapter, targets, labels, problems)
                     for chapter in chapters)
    return replace(book, chapters=_renumbered(resolved)), problems


# ---- numbering -------------------------------------------------------------------------

def _numbered(chapters: Iterable[Chapter], labels: dict[str, str], config: Config,
              problems: list[Diagnostic]) -> tuple[tuple[Chapter, ...], dict[str, Target]]:
    """Chapters with numbered captions (and headings), and every target by id; an id
    labelling a second element is a problem (that element would go unnumbered)."""
    counts = dict.fromkeys(KINDS, 0)
    sections: list[int] = []
    targets: dict[str, Target] = {}
    done = []
    numbered_chapters = 0
    for chapter in chapters:
        prefix = ""
        if config.number_within_chapters:
            counts = dict.fromkeys(KINDS, 0)
            if _opens_numbered(chapter):
                numbered_chapters += 1
                prefix = f"{numbered_chapters}."
        body, twice = _captioned(chapter.html, counts, labels, targets, prefix)
        problems += [Diagnostic(chapter.source, f"the id '{ident}' labels two elements — "
                                "give each its own, e.g. {#" + ident + "-2}") for ident in twice]
        chapter = replace(chapter, html=body)
        done.append(_sectioned(chapter, sections, targets, config.number_sections))
    return tuple(done), targets


def _opens_numbered(chapter: Chapter) -> bool:
    """Whether the chapter opens with a level-1 heading not marked ``{-}``."""
    headings = _heading_classes(chapter)
    return (chapter.has_own_title and bool(headings)
            and "unnumbered" not in headings[0][1])


def _captioned(body: str, counts: dict[str, int], labels: dict[str, str],
               targets: dict[str, Target], prefix: str = "") -> tuple[str, list[str]]:
    """Number each labelled element in ``body`` on from ``counts`` (after ``prefix``, the
    chapter's number and a dot) and label its caption; the ids already taken by another
    element."""
    pieces, last, twice = [], 0, []
    for match in _LABELLED.finditer(body):
        kind = _kind(match["id"])
        if match.start() < last:
            continue  # inside an element already numbered (a subfigure): not supported
        if match["id"] in targets:
            twice.append(match["id"])
            continue
        counts[kind] += 1
        number = f"{prefix}{counts[kind]}"
        targets[match["id"]] = Target(match["id"], number)
        end = _element_end(body, match["tag"], match.end())
        pieces += [body[last:match.start()],
                   _labelled(body[match.start():end], match, kind, number, labels)]
        last = end
    return "".join(pieces) + body[last:], twice


def _kind(ident: str) -> str:
    """"fig" for ``fig:x``, ``Fig:x`` and ``fig-x``."""
    found = _KEY.match(ident)
    return found["kind"].lower() if found else ""


def _element_end(body: str, tag: str, after_open: int) -> int:
    """Index just past the tag closing the element opened before ``after_open``."""
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", re.I)
    depth = 1
    for match in pattern.finditer(body, after_open):
        depth += -1 if match[1] else 1
        if depth == 0:
            return match.end()
    return len(body)


def _caption_title(kind: str, number: str, labels: dict[str, str]) -> str:
    return f'<span class="caption-label">{labels[kind + "-title"]}\u00a0{number}</span>'


def _labelled(element: str, match: re.Match[str], kind: str, number: str,
              labels: dict[str, str]) -> str:
    """One labelled element with its number shown: in its caption, or beside an equation."""
    if kind == "eq":
        closing = element.rindex("<")
        return (element[:closing] + f'<span class="equation-number">({number})</span>'
                + element[closing:])
    title = _caption_title(kind, number, labels)
    caption = re.search(r"<(figcaption|caption)\b[^>]*>", element)
    if caption:
        delimiter = labels["caption-delim"]
        return element[:caption.end()] + title + delimiter + element[caption.end():]
    if match["tag"].lower() == "figure":
        closing = element.rindex("<")
        return element[:closing] + f"<figcaption>{title}</figcaption>" + element[closing:]
    if match["tag"].lower() == "table":
        return element[:match.end() - match.start()] + f"<caption>{title}</caption>" + \
            element[match.end() - match.start():]
    caption = _LISTING_CAPTION.search(match[0])  # pandoc-crossref's caption="…"
    title += labels["caption-delim"] + caption[1] if caption else ""
    return f'<p class="listing-caption">{title}</p>' + element  # listings: caption above


def _sectioned(chapter: Chapter, counters: list[int], targets: dict[str, Target],
               number_sections: bool) -> Chapter:
    """Number the chapter's headings that open sections on from ``counters`` (if asked), as
    Pandoc numbers them (not one in a block quote or list); note ``sec`` targets."""
    numbers: dict[str, str] = {}
    for heading, classes in _heading_classes(chapter):
        number = ""
        if number_sections and heading.sectioned and "unnumbered" not in classes:
            del counters[heading.level:]
            counters.extend([0] * (heading.level - len(counters)))
            counters[heading.level - 1] += 1
            number = ".".join(str(n) for n in counters)
            numbers[heading.id] = number
        if _kind(heading.id) == "sec":
            targets.setdefault(heading.id, Target(heading.id, number, heading.text))
    if not numbers:
        return chapter
    headings = tuple(replace(h, text=f"{numbers[h.id]} {h.text}") if h.id in numbers else h
                     for h in chapter.headings)
    return replace(chapter, html=_numbered_headings(chapter.html, numbers), headings=headings)


def _heading_classes(chapter: Chapter) -> list[tuple[Heading, list[str]]]:
    """The chapter's headings with the classes their HTML carries, in reading order."""
    classes: dict[str, list[str]] = {}
    for match in _HEADING.finditer(chapter.html):
        found = re.search(r'\sclass="([^"]*)"', match["attrs"])
        classes.setdefault(match["id"], found[1].split() if found else [])
    return [(h, classes.get(h.id, [])) for h in chapter.headings]


def _numbered_headings(body: str, numbers: dict[str, str]) -> str:
    """Pandoc's ``--number-sections`` markup on the headings ``numbers`` names."""
    def number(match: re.Match[str]) -> str:
        found = numbers.get(match["id"])
        if found is None:
            return match[0]
        return (f'<h{match["level"]} data-number="{found}"{match["attrs"]}>'
                f'<span class="header-section-number">{found}</span> ')
    return _HEADING.sub(number, body)


# ---- references ------------------------------------------------------------------------

def _with_references(chapter: Chapter, targets: dict[str, Target], labels: dict[str, str],
                     problems: list[Diagnostic]) -> Chapter:
    """The chapter with its cross-references written in and taken out of its citations."""
    kept: list[Citation] = []
    written: dict[int, str] = {}
    for citation in chapter.citations:
        crossrefs = [item for item in citation.items if is_crossref(item.key)]
        if not crossrefs:
            kept.append(citation)
            continue
        problems += _unknown(crossrefs, targets)
        text = _references(crossrefs, targets, labels)
        rest = tuple(item for item in citation.items if not is_crossref(item.key))
        if rest:
            from .reader import cite_marker  # see ``_renumbered``
            kept.append(replace(citation, items=rest))
            text += ", " + cite_marker(citation.number)
        written[citation.number] = text
    body = _MARKER.sub(lambda m: written.get(int(m[1]), m[0]), chapter.html)
    return replace(chapter, html=body, citations=tuple(kept))


def _target_id(key: str) -> str:
    """The id ``@Fig:x`` points at: the prefix in lower case, the name as written."""
    return key[0].lower() + key[1:]


def _unknown(items: list[CiteItem], targets: dict[str, Target]) -> list[Diagnostic]:
    problems = []
    for item in items:
        wanted = _target_id(item.key)
        if wanted in targets:
            continue
        match = _KEY.match(wanted)
        assert match is not None
        other = "-" if match["sep"] == ":" else ":"
        twin = f'{match["kind"].lower()}{other}{match["name"]}'
        hint = (f"did you mean @{twin}?" if twin in targets else
                f"label a {_NOUNS[match['kind'].lower()]} with {{#{wanted}}}")
        problems.append(Diagnostic(item.pos, f"unknown cross-reference '@{item.key}' — "
                                   f"nothing has the id '{wanted}'; {hint}"))
    return problems


def _references(items: list[CiteItem], targets: dict[str, Target],
                labels: dict[str, str]) -> str:
    """A bracket of cross-references as text: runs of one kind and prefix share a prefix."""
    groups: list[list[CiteItem]] = []
    for item in items:
        if groups and _group_key(groups[-1][0]) == _group_key(item):
            groups[-1].append(item)
        else:
            groups.append([item])
    return ", ".join(_group(group, targets, labels) for group in groups)


def _group_key(item: CiteItem) -> tuple[str, str, bool]:
    return _kind(item.key), item.prefix, item.suppress_author


def _group(items: list[CiteItem], targets: dict[str, Target], labels: dict[str, str]) -> str:
    """"figs. 1–3, 5": the group's prefix, then its numbers (titles for unnumbered sections)."""
    first = items[0]
    kind = _kind(first.key)
    resolved = [targets.get(_target_id(item.key), Target(item.key, _MISSING)) for item in items]
    prefix = _prefix(first, kind, len(items), labels)
    if kind == "sec" and not all(target.number for target in resolved):
        prefix = html.escape(first.prefix)  # titles need no "sec."
    shown = [_shown(target, kind, labels) for target in resolved]
    links = [f'<a href="#{html.escape(t.id)}" class="xref">{text}</a>'
             for t, text in zip(resolved, shown, strict=True)]
    suffixes = [_suffix(item) for item in items]
    if len(items) == 1:  # the prefix inside the link: a wider target
        inner = (prefix + "\u00a0" if prefix else "") + shown[0]
        return f'<a href="#{html.escape(resolved[0].id)}" class="xref">{inner}</a>{suffixes[0]}'
    numbers = _ranged([t.number for t in resolved], links, suffixes)
    return (prefix + "\u00a0" if prefix else "") + numbers


def _prefix(item: CiteItem, kind: str, count: int, labels: dict[str, str]) -> str:
    """The author's own prefix (``[Figure @fig:x]``), none (``[-@fig:x]``), or the book's."""
    if item.prefix:
        return html.escape(item.prefix)
    if item.suppress_author:
        return ""
    word = labels[f"{kind}-refs" if count > 1 else f"{kind}-ref"]
    return word[:1].upper() + word[1:] if item.key[:1].isupper() else word


def _shown(target: Target, kind: str, labels: dict[str, str]) -> str:
    if not target.number:
        return html.escape(target.title)
    return labels["eq-ref-number"].format(target.number) if kind == "eq" else target.number


def _suffix(item: CiteItem) -> str:
    """What follows the number: a locator and the author's suffix (``[@fig:x, left]``)."""
    text = ", ".join(part for part in (item.locator, item.suffix.lstrip(", ")) if part)
    return " " + html.escape(text) if text else ""


def _ranged(numbers: list[str], links: list[str], suffixes: list[str]) -> str:
    """Links joined by commas, three or more consecutive numbers (none with a suffix
    between them) as "first–last"."""
    runs: list[list[int]] = []
    for index, number in enumerate(numbers):
        if runs and _follows(numbers[index - 1], number) and not suffixes[index - 1]:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{links[run[0]]}\u2013{links[run[-1]]}{suffixes[run[-1]]}")
        else:
            parts += [links[index] + suffixes[index] for index in run]
    return ", ".join(parts)


def _follows(before: str, after: str) -> bool:
    """"2.3" is followed by "2.4": the same parent, the last part one more."""
    head_a, _, last_a = before.rpartition(".")
    head_b, _, last_b = after.rpartition(".")
    return (head_a == head_b and last_a.isdigit() and last_b.isdigit()
            and int(last_b) == int(last_a) + 1)


def _renumbered(chapters: tuple[Chapter, ...]) -> tuple[Chapter, ...]:
    """Citations numbered 1, 2, 3… again once the cross-references left their places."""
    new_numbers: dict[int, int] = {}
    for citation in (c for chapter in chapters for c in chapter.citations):
        new_numbers[citation.number] = len(new_numbers) + 1
    if all(old == new for old, new in new_numbers.items()):
        return chapters
    from .reader import cite_marker  # only here: a book read from the cache (``read_cache``)
    # and without cross-references does without the reader and markdown-it-py
    return tuple(replace(
        chapter,
        html=_MARKER.sub(lambda m: cite_marker(new_numbers[int(m[1])]), chapter.html),
        citations=tuple(replace(c, number=new_numbers[c.number]) for c in chapter.citations))
        for chapter in chapters)


__all__ = ["KINDS", "Target", "apply", "is_crossref", "resolve"]
