"""Characters the book's fonts cannot show: a warning at the first place each is written.

WeasyPrint (Pango) sets a character the book's fonts lack in whatever font the machine's
fontconfig offers (DejaVu Serif, say), and e-readers and browsers do the same: the glyph
does not match the book's face, and the PDF depends on the machine that built it. LaTeX
warns "Missing character"; this says where the character is written.

Each text is checked against the fonts that set it, as the print stylesheets (base.css,
print.css, the project's or the built-in ones) name them: running text against the
family list of ``body`` (else ``html``, ``:root``), code against that of ``code``/``pre``,
formulas against the math font — the PDF draws them with ziamath's STIX Two Math, which
shows a missing-glyph box for a character it lacks. Pango tries a family list in order
before it falls back, so a character is covered when any family of the list that has a
font file in the book (``assets.fonts``) has it. Past the list, fontconfig picks, from
the machine's fonts and the book's alike: measured, a box-drawing character only Noto
Sans Mono has came out in DejaVu Serif in running text, a symbol only a project's unnamed
font had came out in that font. So a character another book font has is a warning too,
naming that font. A list with no book font at all (a machine font chosen on purpose) is
not checked. Only these rules are read, not the cascade: a heading is checked as running
text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from html import unescape
from pathlib import Path
from typing import Any

from . import assets, bibliography, confine, fonts, sanitize
from .config import Config, key_position
from .errors import Diagnostic, KzError, SourcePos, read_text
from .model import Book, Chapter

TEXT, CODE, MATH = "text", "code", "math"

_MATH = re.compile(r"<math\b.*?</math>", re.S)
_CODE = re.compile(r"<(pre|code|kbd|samp)\b.*?</\1>", re.S)
_TAG = re.compile(r"<[^>]*>")
_SIZED = re.compile(r"(?:^|\s)(?:[\d.]+[a-z%]*|(?:xx?-|xxx-)?(?:small|large)|medium|smaller|"
                    r"larger)(?:\s*/\s*\S+)?\s+(\S.*)$", re.I)
"""The ``font`` shorthand's family list: what follows the size (and line height)."""
_ROOTS = (":root", "html", "body")
"""Where running text takes its family from; a later one is nearer the text."""
_CODE_TAGS = frozenset(("code", "pre", "kbd", "samp"))
_UNPRINTED = frozenset(("id", "abstract", "keyword", "citation-key", "annote", "language"))
"""Reference fields no style prints."""
_SHOWN = 30
"""The longest run a warning quotes whole."""


@dataclass(frozen=True)
class _Fonts:
    """What sets one kind of text: its families' names and the characters they have."""

    families: tuple[str, ...]
    charset: frozenset[int]


@dataclass(frozen=True)
class _Coverage:
    """The fonts each kind of text is set in (a kind set in no book font is left out), and
    what every family the PDF declares has: Pango may fall back to one of them, or not."""

    kinds: dict[str, _Fonts]
    families: dict[str, frozenset[int]]


def missing(settings: Config, book: Book) -> list[Diagnostic]:
    """A warning for each character (or run of them) of the book no font that would set it
    has, at its first place: book.toml for the title page, the chapter file, the
    bibliography entry. ``book`` as read (before citations and typography)."""
    try:
        coverage = _coverage(settings.project, any("<math" in ch.html for ch in book.chapters))
    except KzError:
        return []  # a style or font file the build refuses: reported where it is named
    reported: set[str] = set()
    found = _metadata(settings, coverage, reported)
    for chapter in book.chapters:
        found += _in_chapter(chapter, coverage, reported)
    return found + _in_references(settings, book, coverage, reported)


def _coverage(project: Path, with_math: bool) -> _Coverage:
    """What the book's fonts cover, by kind of text and by family (the PDF's: no math)."""
    files: dict[str, list[Path]] = {}
    for font in assets.fonts(project, math=False):
        files.setdefault(assets.family(font), []).append(font)
    families = {name: frozenset().union(*map(fonts.charset, found))
                for name, found in files.items()}
    css = "\n".join(read_text(assets.style_path(project, name))
                    for name in assets.PRINT_STYLESHEETS)
    declared = _declared(css)
    kinds = {kind: set_in for kind in (TEXT, CODE)
             if (set_in := _set_in(declared.get(kind, declared.get(TEXT, [])), families))}
    if with_math:
        math_font = assets.style_path(project, f"fonts/{assets.MATH_FONT}")
        kinds[MATH] = _Fonts((assets.family(math_font),), fonts.charset(math_font))
    return _Coverage(kinds, families)


def _set_in(names: list[str], families: dict[str, frozenset[int]]) -> _Fonts | None:
    """The book's families of a ``font-family`` list (CSS matches names case-blind) and
    what they have together; None if it names none of them."""
    known = {name.lower(): name for name in families}
    found = [known[name.lower()] for name in names if name.lower() in known]
    if not found:
        return None
    return _Fonts(tuple(found), frozenset().union(*(families[name] for name in found)))


def _declared(css: str) -> dict[str, list[str]]:
    """The family lists the stylesheet gives running text and code (the rule nearest the
    text, else the last one)."""
    declared: dict[str, list[str]] = {}
    nearest = -1
    for selectors, name, value in sanitize.css_declarations(css):
        names = _families(name, value)
        if names is None:
            continue
        for tag in map(_subject, selectors.split(",")):
            if tag in _CODE_TAGS:
                declared[CODE] = names
            elif tag in _ROOTS and _ROOTS.index(tag) >= nearest:
                declared[TEXT], nearest = names, _ROOTS.index(tag)
    return declared


def _families(name: str, value: str) -> list[str] | None:
    """The family names a ``font-family`` or ``font`` declaration gives, else None."""
    if name == "font":
        sized = _SIZED.search(value)
        if sized is None:  # a system font ("caption") or a value WeasyPrint ignores
            return None
        value = sized[1]
    elif name != "font-family":
        return None
    return [family.strip().strip("'\"") for family in value.split(",")]


def _subject(selector: str) -> str:
    """The element name a selector styles: ``pre.sourceCode`` → ``pre``; ``a b`` → ``b``."""
    last = re.split(r"[\s>+~]+", selector.strip())[-1]
    match = re.match(r":?[\w-]*", last)
    return match[0].lower() if match else ""


def _texts(html: str) -> dict[str, str]:
    """A chapter's HTML as the text each kind sets: tags gone, entities read."""
    shown = sanitize.NOT_MARKUP.sub(" ", html)
    formulas = _MATH.findall(shown)
    shown = _MATH.sub(" ", shown)
    code = [match[0] for match in _CODE.finditer(shown)]
    shown = _CODE.sub(" ", shown)
    return {kind: unescape(_TAG.sub("", " ".join(parts)))
            for kind, parts in ((TEXT, [shown]), (CODE, code), (MATH, formulas))}


def _unshown(texts: dict[str, str], coverage: _Coverage,
             reported: set[str]) -> dict[str, str]:
    """The characters no font of their kind has, not reported yet, with their kind."""
    found: dict[str, str] = {}
    for kind, text in texts.items():
        have = coverage.kinds.get(kind)
        if have is not None:
            for char in sorted(set(text) - reported - found.keys()):
                if ord(char) not in have.charset and not _ignorable(char):
                    found[char] = kind
    return found


def _ignorable(char: str) -> bool:
    """Spaces, controls and format characters (soft hyphen, joiners) and variation
    selectors: nothing is drawn for them, a font need not have them."""
    code = ord(char)
    return (char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs")
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def _in_chapter(chapter: Chapter, coverage: _Coverage,
                reported: set[str]) -> list[Diagnostic]:
    """The chapter's unshown characters, each run at its first place in the chapter file
    (one read of the file, only when there is something to place)."""
    unshown = _unshown(_texts(chapter.html), coverage, reported)
    if not unshown:
        return []
    path = chapter.source.file
    source = read_text(path).removeprefix("\ufeff")
    found = []
    for offset, run in _runs(source, unshown):
        fresh = list(dict.fromkeys(char for char in run if char not in reported))
        reported.update(run)
        pos = confine.position(path, source, offset) if offset >= 0 else chapter.source
        found.append(_warning(pos, run, fresh, unshown[run[0]], coverage))
    return found


def _runs(source: str, unshown: dict[str, str]) -> Iterator[tuple[int, str]]:
    """Each unshown character's first place in ``source`` with the run of unshown
    characters of its kind starting there (a word in a script the fonts lack is one
    finding); -1 and the character alone when the source does not have it as written."""
    fences = _fences(source)
    placed: set[str] = set()
    for offset, char in sorted((_first(source, char, kind, fences), char)
                               for char, kind in unshown.items()):
        if char in placed:
            continue
        end = offset + 1
        while offset >= 0 and end < len(source) and unshown.get(source[end]) == unshown[char]:
            end += 1
        run = source[offset:end] if offset >= 0 else char
        placed.update(run)
        yield offset, run


_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1", re.S | re.M)
_DOLLAR = re.compile(r"(?<!\\)\$")


def _fences(source: str) -> list[range]:
    """Where the fenced code blocks of a chapter file stand (offsets)."""
    return [range(match.start(), match.end()) for match in _FENCE.finditer(source)]


def _first(source: str, char: str, kind: str, fences: list[range]) -> int:
    """Where ``char`` is first written as ``kind`` (a character the text font has may be
    missing from the code font only), as far as its line shows; else first written."""
    first = offset = source.find(char)
    while offset >= 0 and not _is_kind(source, offset, kind, fences):
        offset = source.find(char, offset + 1)
    return offset if offset >= 0 else first


def _is_kind(source: str, offset: int, kind: str, fences: list[range]) -> bool:
    """Whether the character at ``offset`` stands in code (a fenced block, an indented line,
    after an odd number of backticks on its line), in a formula (after an odd number of
    ``$``) or in text."""
    line = source[source.rfind("\n", 0, offset) + 1:offset]
    code = line.count("`") % 2 == 1 or any(offset in fence for fence in fences)
    if kind == CODE:
        return code or line.startswith(("    ", "\t"))
    formula = not code and len(_DOLLAR.findall(line)) % 2 == 1
    return formula if kind == MATH else not (code or formula)


def _warning(pos: SourcePos, run: str, fresh: list[str], kind: str,
             coverage: _Coverage) -> Diagnostic:
    """One finding: the run as written, the code points not named before, what to do."""
    shown = run if len(run) <= _SHOWN else run[:_SHOWN] + "…"
    codes = " ".join(f"U+{ord(char):04X}" for char in fresh[:6]) + (" …" if len(fresh) > 6
                                                                      else "")
    one = len(fresh) == 1 and len(run) == 1
    families = ", ".join(coverage.kinds[kind].families)
    where = " in code" if kind == CODE else " in a formula" if kind == MATH else ""
    what = f"'{shown}' ({codes}){where} {'is' if one else 'are'}"
    it, character = ("it", "the character") if one else ("them", "the characters")
    if kind == MATH:
        return Diagnostic(pos, f"{what} not in the math font ({families}) — "
                          f"the PDF draws a missing-glyph box for {it}; replace {character} "
                          "or write it outside the formula", "warning")
    others = [name for name, charset in coverage.families.items() if ord(fresh[0]) in charset]
    if others:
        rule = "code, pre" if kind == CODE else "html"
        return Diagnostic(pos, f"{what} not in the book's {kind} font ({families}), only in "
                          f"{', '.join(others)} — the PDF sets {it} in a font the machine "
                          f"picks; name a font that has {it} in base.css's {rule} "
                          f"font-family (see README) or replace {character}", "warning")
    fonts_of = "code fonts" if kind == CODE else "fonts"
    return Diagnostic(pos, f"{what} in none of the book's {fonts_of} ({families}) — "
                      f"the PDF sets {it} in a system font; add a font that has {it} to "
                      f"styles/fonts/ (see README) or replace {character}", "warning")


def _metadata(settings: Config, coverage: _Coverage,
              reported: set[str]) -> list[Diagnostic]:
    """The title page's text, at its key in book.toml."""
    fields = [("title", settings.title), ("subtitle", settings.subtitle),
              *(("authors", author) for author in settings.authors)]
    return [finding for key, value in fields
            for finding in _at_one_place(partial(key_position, settings.file, key),
                                         [value], coverage, reported)]


def _in_references(settings: Config, book: Book, coverage: _Coverage,
                   reported: set[str]) -> list[Diagnostic]:
    """The listed references' text, at each entry in its bibliography file. (Read here,
    not with ``citations.load_references``: importing ``citations`` imports citeproc-py,
    which a build whose citations come from the cache does without.)"""
    try:
        references = bibliography.load([settings.manuscript / path
                                        for path in settings.bibliographies])
    except KzError:
        return []  # the citations stage reports it
    listed = {item.key.lower() for chapter in book.chapters for citation in chapter.citations
              for item in citation.items} | {key.lower() for key in settings.nocite}
    found = []
    for item in references.items:
        key = str(item.get("id"))
        if "*" in listed or key.lower() in listed:
            found += _at_one_place(partial(references.positions.__getitem__, key),
                                   _strings(item), coverage, reported, f"reference '{key}': ")
    return found


def _at_one_place(where: Callable[[], SourcePos], texts: Iterable[str],
                  coverage: _Coverage, reported: set[str],
                  prefix: str = "") -> list[Diagnostic]:
    """One warning for the unshown characters of texts that have one position (``where()``,
    asked only when there are some)."""
    joined = " ".join(texts)
    unshown = _unshown({TEXT: joined}, coverage, reported)
    if not unshown:
        return []
    fresh = sorted(unshown, key=joined.find)
    reported.update(fresh)
    finding = _warning(where(), "".join(fresh), fresh, TEXT, coverage)
    return [Diagnostic(finding.pos, prefix + finding.message, finding.severity)]


def _strings(value: Any) -> Iterator[str]:
    """Every string a reference holds, in the fields a style may print."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key not in _UNPRINTED:
                yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)
