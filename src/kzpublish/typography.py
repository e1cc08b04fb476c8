"""Typography for the book's language: quotes, dashes and non-breaking spaces in chapter HTML.

Russian (``ru``) and English (``en``) have rules of their own; every other language
gets pandoc's ``smart`` typography, which pandoc applies whatever the language — ``--``
an en dash, ``---`` an em dash, ``...`` an ellipsis, apostrophes — with straight quotes
turned into the language's own marks (CLDR's: German „…“ and ‚…‘, French «…»).
French adds its spacing: a narrow no-break space inside « » (‹ ›) and before ; ! ?, a
no-break space before : (the Imprimerie nationale's rules, as LibreOffice sets them).

The rules run over the *visible text* of a fragment: tags are cut out (zero width),
so a quote sees the letter beyond ``<em>``; code, pre, kbd, samp, script and style
elements, images and URLs stand in as one opaque character; block boundaries as a
paragraph separator, which also closes open quotes. Each rule is a regular expression;
an edit lands only when it falls inside one text node, so tags, attributes and
protected text are never touched.
No rule matches its own output, so typesetting twice equals typesetting once.

An element whose ``lang`` names another language (an English entry or cite in a
Russian book, see citations.py) is set by that language's rules and reads as one
word to the text around it: the Russian rules would re-quote its “” as «» and
tie its words with Russian no-break spaces.

Citations and reference entries (``class="citation"``, ``class="csl-entry"``: pandoc's
names for citeproc output) are the CSL processor's text, set as the style writes it:
the *smart* rules (quotes, apostrophes, dashes, ellipses) leave it alone, as pandoc's
``smart`` never reaches citeproc's output — a style's "---" for a repeated author stays
three hyphens. The spacing rules (no-break spaces) set it as they set the text around.
The author's prefix and suffix inside a citation are set where they are rendered
(``citations``), with ``typeset_html``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from html import escape, unescape
from itertools import accumulate
from typing import NamedTuple

from . import intl
from .model import Book, Chapter

NBSP = "\u00a0"
OBJECT = "\ufffc"
"""Stands in for code, URLs and images: a word no rule may change."""
BLOCK = "\u2029"
"""Stands in for a block boundary: whitespace that also closes open quotes."""

_PROTECTED = frozenset({"code", "pre", "kbd", "samp", "tt", "var", "math", "svg", "textarea"})
_OBJECTS = _PROTECTED | {"script", "style", "img", "input", "iframe", "object", "video", "audio"}
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "body", "caption", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "nav",
    "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul"})

_MARKUP = re.compile(
    r"<(script|style)\b.*?</\1\s*>"  # raw-text elements, whole: their '<' are not tags
    r"|<!--.*?-->|<[!?][^>]*>"  # comments, doctypes, processing instructions
    r"|</?[A-Za-z](?:=\s*(?:\"[^\"]*\"|'[^']*')|[^>])*+>"  # tags; a quoted value may hold '>'
    r"|</?[A-Za-z][^>]*>",  # a tag with unbalanced quotes ends at its first '>'
    re.S | re.I,
)
_TAG_NAME = re.compile(r"</?([A-Za-z][\w:-]*)")
_URL = re.compile(
    r"(?:(?:https?|ftp)://|www\.|mailto:)[^\s<>\"«»“”„‘’]*[^\s<>\"«»“”„‘’'.,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)


class _Piece(NamedTuple):
    """A run of the fragment: what the rules see, and the markup to keep when it is not text."""

    text: str
    raw: str | None = None
    """Emitted verbatim (tags, protected runs); None for editable text."""
    cited: bool = False
    """The CSL processor's text (a citation or an entry): no smart rule edits it."""


class _Splitter:
    """Cuts an HTML fragment into pieces, remembering which open elements protect their text."""

    def __init__(self, cited: bool = False) -> None:
        self.pieces: list[_Piece] = []
        self.inside: list[str] = []
        self.cited = _Region(whole=cited)

    def split(self, fragment: str) -> list[_Piece]:
        pos = 0
        for match in _MARKUP.finditer(fragment):
            self.text(fragment[pos : match.start()])
            self.markup(match.group())
            pos = match.end()
        self.text(fragment[pos:])
        return self.pieces

    def text(self, raw: str) -> None:
        """Text outside protected elements is unescaped (``&quot;`` is a quote to set)."""
        if self.inside:
            self.pieces.append(_Piece("", raw))
            return
        plain, pos, cited = unescape(raw), 0, self.cited.inside
        for url in _URL.finditer(plain):
            link = _Piece(OBJECT, escape(url.group(), quote=False))
            self.pieces += [_Piece(plain[pos : url.start()], cited=cited), link]
            pos = url.end()
        self.pieces.append(_Piece(plain[pos:], cited=cited))

    def markup(self, tag: str) -> None:
        found = _TAG_NAME.match(tag)
        name, closing = (found[1].lower() if found else ""), tag.startswith("</")
        self.pieces.append(_Piece(_stand_in(name, closing or bool(self.inside)), tag))
        self.cited.tag(name, tag)
        if name in _PROTECTED and closing:
            self.close(name)
        elif name in _PROTECTED and not tag.endswith("/>"):
            self.inside.append(name)

    def embed(self, name: str, element: str) -> None:
        """A finished element, set apart: a block boundary or one word to the rules."""
        if self.inside:
            self.pieces.append(_Piece("", element))
        else:
            self.pieces.append(_Piece(BLOCK if name in _BLOCKS else OBJECT, element))

    def close(self, name: str) -> None:
        """Close NAME and whatever was left open inside it; a stray end tag closes nothing."""
        while name in self.inside and self.inside.pop() != name:
            pass


_CITED = re.compile(r"""\sclass=(["'])(?:[^"']*\s)?(?:citation|csl-entry)(?:\s[^"']*)?\1""")
"""The opening tag of a citation or a reference entry (see the module's docstring)."""


class _Region:
    """Whether the splitter is inside a citation or an entry: the element's name, and
    how many elements of that name are open since it opened."""

    def __init__(self, whole: bool = False) -> None:
        self.whole = whole
        """The fragment is the content of one (an element in another language)."""
        self.name = ""
        self.depth = 0

    @property
    def inside(self) -> bool:
        return self.whole or self.depth > 0

    def tag(self, name: str, tag: str) -> None:
        if self.depth and name == self.name:
            self.depth += -1 if tag.startswith("</") else (0 if tag.endswith("/>") else 1)
        elif not self.depth and not tag.startswith("</") and _CITED.search(tag):
            self.name, self.depth = name, 0 if tag.endswith("/>") else 1


def _stand_in(name: str, silent: bool) -> str:
    """What a tag reads as: a block boundary, a line break, a word (code, image) or nothing."""
    if name in _BLOCKS:
        return BLOCK
    if name == "br":
        return "\n"
    return OBJECT if name in _OBJECTS and not silent else ""


def _render(pieces: Sequence[_Piece]) -> str:
    """Back to HTML: only & < > need escaping in text."""
    return "".join(p.raw if p.raw is not None else escape(p.text, quote=False) for p in pieces)


_Replacer = Callable[[re.Match[str]], str]


@dataclass(frozen=True)
class _Rule:
    """A regex over the visible text and what each match becomes."""

    pattern: re.Pattern[str]
    replacer: Callable[[], _Replacer]
    """Makes a fresh replacer per text, as the quote scanners keep state."""
    smart: bool = False
    """Turns characters into others (quotes, dashes…), as pandoc's ``smart`` does: it
    leaves cited text alone. False: it only sets spaces, as it does everywhere."""


def _rule(pattern: str, template: str, smart: bool = False) -> _Rule:
    """A stateless rule: each match becomes TEMPLATE (``\\g<1>`` refers to groups)."""
    return _Rule(re.compile(pattern), lambda: lambda match: match.expand(template), smart)


def _apply(pieces: list[_Piece], rule: _Rule) -> list[_Piece]:
    """Run RULE over the joined text; keep the edits that fall inside one text piece.

    The replacer sees every match, kept or not, so a scanner's state stays right —
    but a smart rule's replacer never sees cited text: a citation's straight quote
    stays straight and opens nothing, its «…» pair is its own.
    """
    starts = list(accumulate((len(p.text) for p in pieces), initial=0))
    replace_match = rule.replacer()
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for match in rule.pattern.finditer("".join(p.text for p in pieces)):
        index = bisect_right(starts, match.start()) - 1
        piece = pieces[index]
        if rule.smart and piece.cited:
            continue
        new = replace_match(match)
        if piece.raw is None and match.end() <= starts[index + 1]:
            offset = starts[index]
            edits.setdefault(index, []).append((match.start() - offset, match.end() - offset, new))
    return [_edited(p, edits[i]) if i in edits else p for i, p in enumerate(pieces)]


def _edited(piece: _Piece, edits: list[tuple[int, int, str]]) -> _Piece:
    """The piece with its edits (in order, not overlapping) made, joined once: splicing
    them one by one copied the text per edit, quadratic in a long paragraph."""
    text, parts, pos = piece.text, [], 0
    for start, end, new in edits:
        parts += [text[pos:start], new]
        pos = end
    parts.append(text[pos:])
    return _Piece("".join(parts), cited=piece.cited)


_CLOSER = re.compile(rf"(?<=\S)'|{BLOCK}")
"""A single quote that can close one (after a letter or mark), or the paragraph's end."""


def _closed_later(text: str, pos: int) -> bool:
    """Whether a single quote can close the one at POS before the paragraph ends."""
    found = _CLOSER.search(text, pos + 1)
    return found is not None and found.group() == "'"


class _Quotes:
    """Turns ambiguous quotes into typographic ones, opening or closing by the character before.

    That character may be a quote this scan has just turned, so the scan looks at
    its own output: ``""`` reads as two openers, exactly as its result will. A single
    quote opens only if one closes after it in the paragraph, as pandoc pairs them:
    else it is an apostrophe ("’Twas", "’em").
    """

    opening_context = "([{-–—"
    """Besides whitespace and the start: a quote after these opens."""

    def __init__(self) -> None:
        self.last = (-1, "")

    def __call__(self, match: re.Match[str]) -> str:
        pos = match.start()
        before = self.last[1] if self.last[0] == pos - 1 else match.string[pos - 1 : pos]
        opening = not before or before.isspace() or before in self.opening_context
        unpaired = opening and match.group() == "'" and not _closed_later(match.string, pos)
        self.last = (pos, "’" if unpaired else self.turn(match.group(), opening))
        return self.last[1]

    def turn(self, char: str, opening: bool) -> str:
        raise NotImplementedError


class _EnglishQuotes(_Quotes):
    """“Double” and ‘single’ quotes; a closing single quote is also the apostrophe."""

    opening_context = _Quotes.opening_context + "“‘"

    def turn(self, char: str, opening: bool) -> str:
        pair = "“”" if char == '"' else "‘’"
        return pair[0] if opening else pair[1]


class _RussianQuotes(_Quotes):
    """«Ёлочки» outside, „лапки“ inside; existing « „ » count towards the nesting."""

    opening_context = _Quotes.opening_context + "«„"

    def __init__(self) -> None:
        super().__init__()
        self.owed: list[str] = []
        """The closing quote owed to each open one, innermost last."""

    def turn(self, char: str, opening: bool) -> str:
        if char == BLOCK:
            self.owed.clear()
        elif char in "«„":
            self.owed.append("»" if char == "«" else "“")
        elif char == "»":
            self._close()
        elif opening:
            return self._open()
        else:
            return self._close() or ("»" if char != "“" else char)
        return char

    def _open(self) -> str:
        quote = "„" if self.owed else "«"
        self.owed.append("»" if quote == "«" else "“")
        return quote

    def _close(self) -> str:
        return self.owed.pop() if self.owed else ""


class _LocaleQuotes(_Quotes):
    """``"`` and ``'`` as the language's outer and inner quotation marks; a closing ``'``
    with no inner quote open is an apostrophe (German "Hans' Buch")."""

    def __init__(self, marks: tuple[str, str, str, str]) -> None:
        super().__init__()
        self.marks = marks
        self.opening_context = _Quotes.opening_context + "".join(
            mark for mark in (marks[0], marks[2]) if mark not in (marks[1], marks[3]))
        self.open_inner = 0

    def turn(self, char: str, opening: bool) -> str:
        if char == '"':
            return self.marks[0] if opening else self.marks[1]
        if opening:
            self.open_inner += 1
            return self.marks[2]
        if not self.open_inner:
            return "’"
        self.open_inner -= 1
        return self.marks[3]


def _spaced_dash(match: re.Match[str]) -> str:
    """A spaced hyphen or en dash is a dash in Russian; ``5 - 3`` may be a minus, so it stays."""
    before, dash, after = match.groups()
    return dash if before.isdigit() and after.isdigit() else "—"


_SPACE = r"[ \t\r\n]"  # ordinary whitespace: never the NBSP the rules put in
_LETTER = r"[^\W\d_]"
_UPPER = "A-ZА-ЯЁ"
_UNITS = (r"(?:%|‰|₸|₽|€|\$|трлн|млрд|млн|тыс|триллион\w*|миллиард\w*|миллион\w*|тысяч\w*"
          r"|км|кг|мг|см|мм|м|т|г|гг|л|мл|га|руб|долл|коп|тенге|евро)")
_ELLIPSIS = _rule(r"(?<!\.)\.\.\.(?!\.)", "…", smart=True)

_RUSSIAN = (
    _Rule(re.compile(f'["“”«»„{BLOCK}]'), _RussianQuotes, smart=True),
    _rule(rf"(?<={_LETTER})'(?={_LETTER})", "’", smart=True),  # д'Артаньян
    _ELLIPSIS,
    _rule(r"(?<![\w\-.,/:])(\d{1,4})--?(\d{1,4})(?![\w\-]|[.,:/]\d)", "\\g<1>–\\g<2>",
          smart=True),  # 1-12
    _Rule(re.compile(r"(?<=(\S)[ \t\r\n])(-{1,3}|–)(?=[ \t\r\n]+(\S))"), lambda: _spaced_dash,
          smart=True),
    _rule(rf"(?<={_LETTER})---?(?={_LETTER})", NBSP + "— ", smart=True),  # слово--слово
    _rule(r"---?", "—", smart=True),
    _rule(rf"(?<=\S){_SPACE}+(?=—)", NBSP),  # NBSP before a dash
    _rule(rf"(?:^|(?<={BLOCK}))[—–-]{_SPACE}+(?=\S)", "—" + NBSP, smart=True),  # — Реплика
    _rule(rf"(?<=(?<!\w)[{_UPPER}]\.){_SPACE}+(?=[{_UPPER}])", NBSP),  # А. С. Пушкин
    _rule(rf"(?<={_LETTER}){_SPACE}+(?=[{_UPPER}]\.)", NBSP),  # Сандра Ф.
    _rule(rf"(?<![\w\-])((?:[сСтТ]|[гГ]л|[рР]ис|[сС]тр)\.|[№§]){_SPACE}+(?=\d)", "\\g<1>" + NBSP),
    _rule(rf"(?<=\d){_SPACE}+(?={_UNITS}(?!{_LETTER}))", NBSP),  # 1,2 трлн; 5 %
    _rule(rf"(?<=(?<![\w\-’'])[вВкКсСуУоОаАиИяЯ]){_SPACE}+(?=\S)", NBSP),  # в доме
)

_ENGLISH = (
    _rule(r"(?<=[^\W_])'(?=[^\W_])", "’", smart=True),  # don't
    _rule(r"(?<!\w)'(?=\d\ds?\b)", "’", smart=True),  # '90s
    _Rule(re.compile(r"[\"']"), _EnglishQuotes, smart=True),
    _rule(r"---", "—", smart=True),
    _rule(r"--", "–", smart=True),
    _ELLIPSIS,
)

_RULES: dict[str, tuple[_Rule, ...]] = {"ru": _RUSSIAN, "en": _ENGLISH}

_NNBSP = "\u202f"


def _spaced(before: str, after: str, space: str, put_after: str = "") -> tuple[_Rule, _Rule]:
    """SPACE between text matching BEFORE and AFTER: a space written there becomes it (in
    cited text too, as the other spacing rules do); where none is written it is put in
    after PUT_AFTER (else BEFORE), but not into cited text, whose punctuation is the style's."""
    return (_rule(rf"(?<={before}){_SPACE}+(?={after})", space),
            _rule(rf"(?<={put_after or before})(?={after})", space, smart=True))


_CLOSED_WORD = r"[^\W\d_]|[»)\]’”]"
"""What a space is put in after before ; : ! ? — a letter or a closing mark, so 10:30, a?b
and "?!" stay as written."""
_FRENCH_SPACING = (
    *_spaced("[«‹]", r"\S", _NNBSP),
    *_spaced(r"\S", "[»›]", _NNBSP, put_after=r"[^\s«‹]"),
    *_spaced(r"\S", r"[;!?](?![\w/])", _NNBSP, put_after=_CLOSED_WORD),
    *_spaced(r"\S", r":(?![\w/])", NBSP, put_after=_CLOSED_WORD),
)
"""French punctuation spacing."""
_SPACING: dict[str, tuple[_Rule, ...]] = {"fr": _FRENCH_SPACING}


@cache
def _smart(language: str) -> tuple[_Rule, ...]:
    """Pandoc's smart typography with LANGUAGE's quotation marks (English's rules with
    their quotes swapped)."""
    marks = intl.quotes(language) if language else intl.quotes("en")
    quotes = _Rule(re.compile(r"[\"']"), lambda: _LocaleQuotes(marks), smart=True)
    return tuple(quotes if rule.replacer is _EnglishQuotes else rule for rule in _ENGLISH)


@cache
def _rules_for(language: str) -> tuple[_Rule, ...]:
    """The rules of LANGUAGE's primary subtag ("ru-KZ" → ru); pandoc's smart typography in
    the language's quotes for a language without rules of its own, and its spacing."""
    primary = intl.primary(language)
    return (_RULES.get(primary) or _smart(primary)) + _SPACING.get(primary, ())


def _typeset(pieces: list[_Piece], rules: Sequence[_Rule]) -> list[_Piece]:
    for rule in rules:
        pieces = _apply(pieces, rule)
    return pieces


def typeset_text(text: str, language: str) -> str:
    """Plain TEXT set for LANGUAGE (no markup expected, none escaped)."""
    return "".join(p.text for p in _typeset([_Piece(text)], _rules_for(language)))


_LANG_OPEN = re.compile(r"""<([A-Za-z][\w:-]*)\b[^>]*?\slang=(["'])([^"']*)\2[^>]*>""")


class _Scope(NamedTuple):
    """An element in another language: where it starts, its content, where it ends."""

    start: int
    inner: slice
    end: int
    name: str
    language: str


def _closing(fragment: str, name: str, pos: int) -> tuple[int, int]:
    """Where the element NAME opened just before POS closes: (content end, element end)."""
    depth = 1
    for tag in re.finditer(rf"<(/?){re.escape(name)}\b[^>]*>", fragment[pos:], re.I):
        depth += -1 if tag[1] else (0 if tag[0].endswith("/>") else 1)
        if depth == 0:
            return pos + tag.start(), pos + tag.end()
    return len(fragment), len(fragment)


def _foreign(fragment: str, language: str) -> Iterator[_Scope]:
    """The outermost elements whose ``lang`` is not LANGUAGE, in order."""
    pos = 0
    while found := _LANG_OPEN.search(fragment, pos):
        if found[0].endswith("/>") or intl.primary(found[3]) == intl.primary(language):
            pos = found.end()
            continue
        inner_end, end = _closing(fragment, found[1], found.end())
        yield _Scope(found.start(), slice(found.end(), inner_end), end, found[1].lower(),
                     found[3])
        pos = end


def typeset_html(fragment: str, language: str, cited: bool = False) -> str:
    """An HTML FRAGMENT set for LANGUAGE, elements in another language by their own rules;
    returned unchanged when there are no rules for any of it. ``cited``: the fragment is
    inside a citation or an entry (see the module's docstring)."""
    rules = _rules_for(language)
    splitter, pos = _Splitter(cited), 0
    for scope in _foreign(fragment, language):
        splitter.split(fragment[pos:scope.start])
        opening = fragment[scope.start:scope.inner.start]
        inner = typeset_html(fragment[scope.inner], scope.language,
                             splitter.cited.inside or bool(_CITED.search(opening)))
        splitter.embed(scope.name, opening + inner + fragment[scope.inner.stop:scope.end])
        pos = scope.end
    if not rules and pos == 0:
        return fragment
    splitter.split(fragment[pos:])
    return _render(_typeset(splitter.pieces, rules))


def _chapter(chapter: Chapter, language: str) -> Chapter:
    """Body, title and headings alike, so contents and outline read as the text does."""
    headings = tuple(replace(h, text=typeset_text(h.text, language)) for h in chapter.headings)
    return replace(chapter, html=typeset_html(chapter.html, language), headings=headings,
                   title=typeset_text(chapter.title, language))


def apply(book: Book) -> Book:
    """Return the book with its text set for the book's language: chapters and title page."""
    language = book.meta.language
    meta = replace(book.meta, title=typeset_text(book.meta.title, language),
                   subtitle=typeset_text(book.meta.subtitle, language))
    chapters = tuple(_chapter(chapter, language) for chapter in book.chapters)
    return replace(book, meta=meta, chapters=chapters)
