"""Rich text of field values as citeproc-js renders it: markup, quotes, apostrophes, case.

citeproc-py 0.11 passes a title's own markup through untouched and knows nothing of its
quotes; citeproc-js (the reference, see tests/oracle) reads a field value as rich text:

* FLIP_FLOP — ``<i>``, ``<b>``, ``<sc>`` in a value flip against the style's formatting
  around it: "The <i>Federalist</i> papers" in an italic title sets "Federalist" upright;
* NESTED_QUOTES — quotes in a value (straight ``"``/``'`` or the locale's own) become the
  locale's quotes, inner ones inside quotes: «„Мы не стремимся…“» in a quoted Russian title;
* APOSTROPHE — a straight apostrophe becomes ’ (Russia's → Russia’s);
* TITLE_CASE — ``text-case`` follows citeproc-js: CSL 1.0.2's stop words, every part of
  a hyphenated word (Multi-Country), words with capitals kept, title case for English
  items only; sentence case lower-cases all but the first word.

Values arrive HTML-escaped with their rich-text tags kept (``csl.escape_data``) and
nocase spans split off by citeproc-py (``NoCase``). ``markup`` turns them into tokens,
changes their case, then writes HTML against the formatting the style puts around the
value, which ``_in_context`` records while cs:text and cs:group elements render.
Tested in tests/unit/test_csl_text.py.
"""

from __future__ import annotations

import contextvars
import html
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from citeproc.model import Group, Style, Text
from citeproc.string import NoCase, String

from .locales import memo_for_list_in_use

# --- the formatting around a value ---------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """The style's formatting in force where a value renders."""

    italic: bool = False
    bold: bool = False
    small_caps: bool = False
    quotes: str | None = None
    """"true" inside the locale's outer quotes, "inner" inside its inner quotes."""
    language: str = ""
    """The item's language (primary subtag), or the locale's when the item has none."""
    undone: str = ""
    """The CSS the element rendering now sets to undo the formatting around it (its
    font-style="normal" in an italic group: "font-style:normal;"), else ""."""


_CONTEXT: contextvars.ContextVar[Context | None] = contextvars.ContextVar("kz_text_context",
                                                                         default=None)
_PLAIN = Context()


def current_context() -> Context:
    """The formatting around the value rendering now (none outside a render)."""
    return _CONTEXT.get() or _PLAIN


def _styled(element: Any, around: Context) -> Context:
    """``around`` with the formatting ``element`` adds (CSL does not flip its own); the
    same object when it adds nothing, as most elements do."""
    italic, bold, small_caps, quotes, upright, regular, no_caps = _formatting(element)
    undone = "".join(style for undoes, style in (
        (upright and around.italic, "font-style:normal;"),
        (regular and around.bold, "font-weight:normal;"),
        (no_caps and around.small_caps, "font-variant:normal;")) if undoes)
    if (italic <= around.italic and bold <= around.bold and small_caps <= around.small_caps
            and (not quotes or around.quotes) and undone == around.undone):
        return around
    return replace(around, italic=(around.italic or italic) and not upright,
                   bold=(around.bold or bold) and not regular,
                   small_caps=(around.small_caps or small_caps) and not no_caps,
                   quotes=around.quotes or ("true" if quotes else None), undone=undone)


def _formatting(element: Any) -> tuple[bool, ...]:
    """Italic, bold, small caps, quotes, and upright, regular weight, no small caps (CSL's
    "normal", which undoes what is around): read once per element (``Engine`` keeps every
    element's proxy, and so this, alive)."""
    found = element.__dict__.get("_kz_formatting")
    if found is None:
        found = element.__dict__["_kz_formatting"] = (
            element.get("font-style") in ("italic", "oblique"),
            element.get("font-weight") == "bold",
            element.get("font-variant") == "small-caps",
            element.get("quotes") == "true",
            element.get("font-style") == "normal",
            element.get("font-weight") == "normal",
            element.get("font-variant") == "normal")
    return found  # type: ignore[no-any-return]


def _item_language(element: Any, item: Any) -> str:
    """citeproc-js: the item's ``language``, else the language of the locale in use."""
    try:
        language = str(item.reference.language or "")
    except Exception:  # citeproc-py raises VariableError for a missing variable
        language = ""
    if not language:
        root = element.get_root()
        tags = [locale.get("{http://www.w3.org/XML/1998/namespace}lang")
                for locale in getattr(root, "locales", [])]
        language = next((tag for tag in tags if tag), "en")
    return re.split(r"[-_ ]", language.strip())[0].lower()


def adds_formatting(element: Any) -> bool:
    """Whether ``element`` sets italic, bold, small caps or quotes around what it renders."""
    return any(_formatting(element))


def language_known() -> bool:
    """Whether the item's language is recorded already (below an item's first cs:text)."""
    return bool((_CONTEXT.get() or _PLAIN).language)


def entered(element: Any, item: Any = None) -> contextvars.Token[Context | None] | None:
    """Record ``element``'s formatting (and, given the item, its language) for what it
    renders; the token to pass to ``left``, None when nothing changed (most elements)."""
    around = _CONTEXT.get() or _PLAIN
    if (item is None or around.language) and not any(_formatting(element)):
        return None  # most elements: no formatting, the item's language known already
    inner = _styled(element, around)
    if item is not None and not around.language:  # one item per render tree
        inner = replace(inner, language=_item_language(element, item))
    if inner is around:  # _styled returns ``around`` itself when it adds nothing
        return None
    return _CONTEXT.set(inner)


def left(token: contextvars.Token[Context | None] | None) -> None:
    if token is not None:
        _CONTEXT.reset(token)


class Formatting:
    """Formatting attributes kept from an element taken out of the style: a citation
    layout's, which kzpublish sets around the whole citation (``csl.Layout.decorations``),
    yet its cites' values flip against (citeproc-js: a ``<b>`` in a bold layout is set
    regular, "Speak, <span style="font-weight:normal;">friend</span>, and enter.")."""

    def __init__(self, attributes: Mapping[str, str]) -> None:
        self.attrib = dict(attributes)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrib.get(name, default)


@contextmanager
def formatted_as(element: Any) -> Iterator[None]:
    """What renders inside flips against ``element``'s formatting (see ``Formatting``)."""
    token = entered(element)
    try:
        yield
    finally:
        left(token)


def _in_context(original: Callable[..., Any], with_item: bool) -> Callable[..., Any]:
    def render(self: Any, *args: Any, **kwargs: Any) -> Any:
        """Render with this element's formatting (and item language) recorded."""
        token = entered(self, args[0] if with_item and args else None)
        try:
            return original(self, *args, **kwargs)
        finally:
            left(token)
    return render


# --- tokens ----------------------------------------------------------------------------------

@dataclass
class Token:
    """A piece of a value: text, or a markup/quote tag (``kind`` names which)."""

    kind: str
    """"text", "open", "close" (markup), "q-open", "q-close" (quotes), "html" (opaque)."""
    text: str
    name: str = ""
    """Markup: i, b, sc, sup, sub; quotes: the opening mark as written."""
    nocase: bool = False
    protected: bool = field(default=False, repr=False)
    """Text no case change reaches: nocase, small caps, super/subscript."""


@dataclass(frozen=True)
class QuoteMarks:
    """The locale's quotation marks."""

    open: str = "“"
    close: str = "”"
    open_inner: str = "‘"
    close_inner: str = "’"

    @classmethod
    def of(cls, element: Any) -> QuoteMarks:
        """The marks of the locale in use where ``element`` renders (found once a list)."""
        root = element.get_root()
        if not isinstance(root, Style):
            return cls._looked_up(element)
        found = memo_for_list_in_use(root, "_kz_quote_marks")
        if "marks" not in found:
            found["marks"] = cls._looked_up(element)
        return found["marks"]  # type: ignore[no-any-return]

    @classmethod
    def _looked_up(cls, element: Any) -> QuoteMarks:
        def term(name: str, default: str) -> str:
            try:
                return str(element.get_single_term(name)) or default
            except (IndexError, AttributeError):
                return default
        return cls(term("open-quote", cls.open), term("close-quote", cls.close),
                   term("open-inner-quote", cls.open_inner),
                   term("close-inner-quote", cls.close_inner))


_MARKUP = re.compile(r'<(/?)(i|b|sc|sup|sub)>|<span class="(nodecor)">|(</span>)')
"""Rich-text tags; a nodecor span (and any ``</span>``: nocase spans are split off
before) as ``nodecor``."""
_ROMANESQUE = r"0-9a-zA-Z\u00c0-\u017f\u0370-\u03ff\u0400-\u052f"
_CURLY_APOSTROPHE = re.compile(rf"(?<=[{_ROMANESQUE}-])’(?=[{_ROMANESQUE}-])")
_NOT_AFTER_APOSTROPHE = set(",.?:; ")


def tokens(value: Any, marks: QuoteMarks) -> list[Token]:
    """A field value (escaped HTML with rich-text tags; NoCase parts) as tokens."""
    result: list[Token] = []
    parts = list(value) if isinstance(value, list) else [value]
    for part in parts:
        result += _part_tokens(str(part), isinstance(part, NoCase), marks)
    return _matched(result, marks)


def _part_tokens(escaped: str, nocase: bool, marks: QuoteMarks) -> list[Token]:
    found: list[Token] = []
    position, before = 0, " "
    for match in _MARKUP.finditer(escaped):
        found += _quote_tokens(html.unescape(escaped[position:match.start()]), nocase, marks,
                               before)
        closing = bool(match[1] or match[4])
        found.append(Token("close" if closing else "open", match[0], match[2] or "nodecor"))
        position, before = match.end(), ("x" if closing else " ")
    found += _quote_tokens(html.unescape(escaped[position:]), nocase, marks, before)
    return found


def _quote_tokens(text: str, nocase: bool, marks: QuoteMarks, start: str) -> list[Token]:
    """Text split at quote marks, as citeproc-js's flip-flopper sees them.

    A straight quote opens after a space, "(", an opening tag, a quote that opened or the
    start (\'"Title"\' nests) and closes elsewhere; an apostrophe inside a word (or before
    anything but a space or punctuation) is ’. ``start`` stands for what precedes the text.
    """
    text = _CURLY_APOSTROPHE.sub("'", text)
    openers = {'"', "'", marks.open, marks.open_inner}
    closers = {'"', "'", marks.close, marks.close_inner}
    found: list[Token] = []
    plain = ""
    for index, char in enumerate(text):
        before = text[index - 1] if index else start
        after = text[index + 1] if index + 1 < len(text) else ""
        straight = char in "\"'"
        opened = bool(found) and found[-1].kind == "q-open" and not plain
        if ((straight and (before.isspace() or before == "(" or opened))
                or (not straight and char in openers)):
            if char == "'" and after == " ":
                plain += "’"
                continue
            found += [Token("text", plain, nocase=nocase), Token("q-open", char, char)]
        elif char == "'" and after and after not in _NOT_AFTER_APOSTROPHE | openers | closers:
            plain += "’"
            continue
        elif char in closers:
            found += [Token("text", plain, nocase=nocase), Token("q-close", char, char)]
        else:
            plain += char
            continue
        plain = ""
    found.append(Token("text", plain, nocase=nocase))
    return [token for token in found if token.kind != "text" or token.text]


def _closer(token: Token, marks: QuoteMarks) -> str:
    if token.kind == "open":
        return "</span>" if token.name == "nodecor" else f"</{token.name}>"
    return {marks.open: marks.close, marks.open_inner: marks.close_inner}.get(token.name,
                                                                              token.name)


def _matched(found: list[Token], marks: QuoteMarks) -> list[Token]:
    """Pair openers with closers as citeproc-js does; strays become plain text.

    A closer that is not the innermost opener's undoes that opener and tries the next;
    a stray straight ``'`` is an apostrophe.
    """
    stack: list[int] = []
    for index, token in enumerate(found):
        if token.kind in ("open", "q-open"):
            stack.append(index)
            continue
        if token.kind not in ("close", "q-close"):
            continue
        while stack and _closer(found[stack[-1]], marks) != token.text:
            if token.text == "'":
                break
            _unpair(found[stack.pop()])
        if stack and _closer(found[stack[-1]], marks) == token.text:
            stack.pop()
        else:
            _unpair(token)
    for index in stack:
        _unpair(found[index])
    return found


def _unpair(token: Token) -> None:
    token.kind = "text"
    if token.text == "'":
        token.text = "’"


NAME_PARTS = frozenset({"family", "given", "suffix", "dropping-particle",
                        "non-dropping-particle", "literal"})


def name_part(value: str) -> str:
    """A name's part with its straight apostrophes as ’ (D'Arcus → D’Arcus, "abbé d'").

    citeproc-js's flip-flopper reads names too, and a name's ``'`` pairs with nothing:
    each is an apostrophe. Set here, before the part is escaped, so sorting, particles
    and typography all see the ’ a reader sees."""
    return value.replace("'", "’")


# The blocks holding Unicode's superscript characters (decomposition ``<super>``): Latin-1,
# spacing modifiers, phonetic extensions, super- and subscripts, letterlike symbols,
# Kanbun, and the modifier letters of later blocks.
_SUPERSCRIPT_BLOCKS = ((0x00A0, 0x00BF), (0x02B0, 0x02FF), (0x10FC, 0x10FC), (0x1D2C, 0x1DBF),
                       (0x2070, 0x209F), (0x2120, 0x2122), (0x2C7D, 0x2C7D), (0x2D6F, 0x2D6F),
                       (0x3192, 0x319F), (0xA69C, 0xA69D), (0xA770, 0xA770), (0xA7F2, 0xA7F9),
                       (0xAB5C, 0xAB69))
# Modifier letters citeproc-js sets raised though Unicode gives them no decomposition.
_RAISED = {"\u02c0": "\u0294", "\u02c1": "\u0295", "\u06e5": "\u0648", "\u06e6": "\u064a"}


def _superscript_table() -> dict[str, str]:
    table = dict(_RAISED)
    for first, last in _SUPERSCRIPT_BLOCKS:
        for code in range(first, last + 1):
            parts = unicodedata.decomposition(chr(code)).split()
            if parts[:1] == ["<super>"]:
                table[chr(code)] = "".join(chr(int(part, 16)) for part in parts[1:])
    return table


SUPERSCRIPTS = _superscript_table()
_SUPERSCRIPT = re.compile(f"[{''.join(SUPERSCRIPTS)}]")


def superscripts(rendered: str) -> str:
    """Rendered HTML with Unicode's superscript characters as ``<sup>`` markup: the French
    ordinal "1ʳᵉ" as 1<sup>re</sup>, "²" as <sup>2</sup> — citeproc-js raises them so,
    and a font lacking the modifier letters still prints the ordinal (CSL suite:
    magic_SuperscriptChars, number_NewOrdinalsEdition)."""
    if not _SUPERSCRIPT.search(rendered):
        return rendered
    return "".join(piece if piece.startswith("<") else _SUPERSCRIPT.sub(_raised, piece)
                   for piece in _TAG.split(rendered))


def _raised(match: re.Match[str]) -> str:
    return f"<sup>{SUPERSCRIPTS[match[0]]}</sup>"  # one each, as citeproc-js writes them


# --- case ------------------------------------------------------------------------------------

# CSL 1.0.2 / citeproc-js (CSL.SKIP_WORDS): words title case leaves lower-case.
_STOP_WORDS = """
about above across afore after against al along alongside amid amidst among amongst anenst
apropos apud around as aside astride at athwart atop barring before behind below beneath
beside besides between beyond but by circa despite down during et except for forenenst from
given in inside into lest like modulo near next notwithstanding of off on onto out over per
plus pro qua sans since than through throughout thruout till to toward towards under
underneath until unto up upon versus vs v via vis-à-vis with within without or yet so and
nor a an the de d' von van c ca
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_PROTECTING = {"sc", "sup", "sub", "nodecor"}
_SEPARATOR = re.compile(r"([‘’“”\"'\-–—/.,;?!:\[\]()])")
_APOSTROPHES = ("’", "'")
_SPACE = re.compile(r"([\u0020\u00a0\u2000-\u200b\u205f\u3000]+)")


_DOTTED_I = frozenset({"tr", "az"})
"""Languages whose i and ı are two letters, İ and I in capitals (citeproc-js cases by the
item's locale: textcase_LocaleUnicode)."""


def _upper(text: str, language: str = "") -> str:
    if language in _DOTTED_I:
        text = text.replace("i", "İ")
    return text.upper()


def _lower(text: str, language: str = "") -> str:
    if language in _DOTTED_I:
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower()


def _capitalised(word: str, language: str = "") -> str:
    """The word with a capital first letter; a lone Greek letter stays as it is (citeproc-js:
    a symbol in a science title, "β-carotine")."""
    if len(word) == 1 and "\u0370" <= word <= "\u03ff":
        return word
    return _upper(word[:1], language) + word[1:]


@dataclass
class _Words:
    """One word at a time over the tokens, with what citeproc-js's case engine tracks."""

    tokens: list[Token]
    is_first: bool = True
    after_punctuation: bool = False
    before_hyphen: bool = False
    """The word ends the value's first run of text and a hyphen follows (citeproc-js
    capitalises it then, though nowhere else: "X-ray", "a study of x-ray")."""
    after_apostrophe: bool = False
    """The word follows an apostrophe (You’re): citeproc-js's title case puts back the
    case its first letter had, as after any quote mark that closes nothing."""
    pieces: dict[int, list[str]] = field(default_factory=dict)

    def walk(self) -> Iterator[tuple[int, int, str | None]]:
        """(token, piece, following separator) for each word outside protected text;
        piece -1 marks protected text (nocase, small caps, super/subscript)."""
        protected: list[bool] = []
        first_segment = True
        for number, token in enumerate(self.tokens):
            if token.kind in ("open", "close", "html"):
                _protection(token, protected)
                first_segment = False
                continue
            if token.kind != "text":
                first_segment = False
                continue
            if token.nocase or any(protected):
                if token.text.strip():  # printed: no longer first, nor after a colon
                    self.is_first = self.after_punctuation = False
                    yield number, -1, None
                continue
            pieces = self.pieces[number] = [
                piece for piece in re.split(f"{_SEPARATOR.pattern}|{_SPACE.pattern}",
                                            token.text) if piece]
            for index, piece in enumerate(pieces):
                if _SPACE.fullmatch(piece):
                    continue
                if _SEPARATOR.fullmatch(piece):
                    self.after_punctuation = self.after_punctuation or piece in "!?:"
                    first_segment = False
                    continue
                following = pieces[index + 1] if index + 1 < len(pieces) else None
                self.before_hyphen = first_segment and following == "-"
                self.after_apostrophe = index > 0 and pieces[index - 1] in _APOSTROPHES
                yield number, index, following
                self.is_first = self.after_punctuation = False

    def finish(self) -> None:
        for number, pieces in self.pieces.items():
            self.tokens[number].text = "".join(pieces)


def _protection(token: Token, protected: list[bool]) -> None:
    """Track tags whose text keeps its case (small caps, super/subscript, nocase)."""
    if token.kind == "close" or token.text.startswith("</"):
        if protected:
            protected.pop()
        return
    if token.kind == "open":
        protected.append(token.name in _PROTECTING)
    elif not token.text.endswith("/>"):
        protected.append("small-caps" in token.text or "nocase" in token.text
                         or token.text.startswith(("<sup", "<sub")))


def title_case(found: list[Token]) -> None:
    """citeproc-js's title case: every word longer than one letter that is not a stop word,
    the first word and a word after ! ? : get a capital, unless the word has capitals
    already; a stop word ending the title does too. Hyphens part words (Multi-Country)."""
    words = _Words(found)
    last: tuple[int, int] | None = None
    for number, index, _following in words.walk():
        if index < 0:
            last = None
            continue
        word = words.pieces[number][index]
        lower = word.lower()
        if ((len(word) > 1 and lower not in STOP_WORDS) or words.is_first
                or words.after_punctuation or words.before_hyphen) and word == lower \
                and not words.after_apostrophe:
            words.pieces[number][index] = _capitalised(word)
        last = (number, index)
    if last:
        word = words.pieces[last[0]][last[1]]
        if len(word) > 1 and word.lower() in STOP_WORDS:
            words.pieces[last[0]][last[1]] = _capitalised(word)
    words.finish()


def _each_word(found: list[Token], change: Callable[[str, bool], str],
               first_only: bool = False) -> None:
    words = _Words(found)
    for number, index, _following in words.walk():
        if index < 0:
            continue
        word = words.pieces[number][index]
        words.pieces[number][index] = change(word, words.is_first)
        if first_only:
            break
    words.finish()


def change_case(found: list[Token], text_case: str | None, language: str) -> None:
    """Apply CSL ``text-case`` to the text tokens as citeproc-js does, in the item's
    LANGUAGE (Turkish "ic" is "İC" in capitals)."""
    def capitalised(word: str, _first: bool) -> str:
        return _capitalised(word, language) if word == _lower(word, language) else word

    if text_case == "title":
        if language == "en":
            title_case(found)
    elif text_case == "sentence":
        _each_word(found, lambda word, first: _capitalised(word, language) if first
                   else _lower(word, language))
    elif text_case == "lowercase":
        _each_word(found, lambda word, _first: _lower(word, language))
    elif text_case == "uppercase":
        _each_word(found, lambda word, _first: _upper(word, language))
    elif text_case == "capitalize-first":
        _each_word(found, capitalised, first_only=True)
    elif text_case == "capitalize-all":
        _each_word(found, capitalised)


# --- HTML ------------------------------------------------------------------------------------

_FLIPPED = {
    "i": ("italic", "<i>", "</i>", '<span style="font-style:normal;">', "</span>"),
    "b": ("bold", "<b>", "</b>", '<span style="font-weight:normal;">', "</span>"),
    "sc": ("small_caps", '<span style="font-variant:small-caps;">', "</span>",
           '<span style="font-variant:normal;">', "</span>"),
}


def to_html(found: list[Token], context: Context, marks: QuoteMarks) -> str:
    """The tokens as HTML: markup flipped against the context, quotes nested by level."""
    output: list[str] = []
    stack: list[tuple[Context, str]] = []
    current = context
    straight_outer = next((token.name for token in found
                           if token.kind == "q-open" and token.name in "\"'"), '"')
    for token in found:
        if token.kind in ("text",):
            output.append(html.escape(token.text, quote=False))
        elif token.kind == "html":
            output.append(token.text)
        elif token.kind in ("open", "q-open"):
            inner, opening, closing = _opened(token, current, marks, straight_outer)
            output.append(opening)
            stack.append((current, closing))
            current = inner
        else:
            current, closing = stack.pop()
            output.append(closing)
    return "".join(output)


def _opened(token: Token, current: Context, marks: QuoteMarks,
            straight_outer: str) -> tuple[Context, str, str]:
    if token.kind == "q-open":
        if current.quotes:
            level = "inner" if current.quotes == "true" else "true"
        elif token.name in "\"'":
            level = "true" if token.name == straight_outer else "inner"
        else:
            level = "true" if token.name == marks.open else "inner"
        if level == "true":
            return replace(current, quotes=level), marks.open, marks.close
        return replace(current, quotes=level), marks.open_inner, marks.close_inner
    if token.name == "nodecor":
        return _undecorated(current)
    if token.name not in _FLIPPED:
        return current, f"<{token.name}>", f"</{token.name}>"
    attribute, on, on_end, off, off_end = _FLIPPED[token.name]
    flipped = not getattr(current, attribute)
    if attribute == "italic":
        inner = replace(current, italic=flipped)
    elif attribute == "bold":
        inner = replace(current, bold=flipped)
    else:
        inner = replace(current, small_caps=flipped)
    return (inner, on, on_end) if flipped else (inner, off, off_end)


def _undecorated(current: Context) -> tuple[Context, str, str]:
    """A nodecor span: upright, regular weight, no small caps, whatever is around it
    (citeproc-js: "Lessard <span class="nodecor">v.</span> Schmidt" in an italic title)."""
    opening = closing = ""
    for attribute, *_on, off, off_end in _FLIPPED.values():
        if getattr(current, attribute):
            opening, closing = opening + off, off_end + closing
    return replace(current, italic=False, bold=False, small_caps=False), opening, closing


# --- the mend ---------------------------------------------------------------------------------

_TAG = re.compile(r"(<[^>]+>)")


def html_tokens(rendered: str) -> list[Token]:
    """Already rendered HTML (a macro's output) as tokens: tags opaque, text unescaped."""
    return [Token("html", piece, "") if piece.startswith("<")
            else Token("text", html.unescape(piece))
            for piece in _TAG.split(rendered) if piece]


def plain_enough(marks: QuoteMarks) -> re.Pattern[str]:
    """What a value may hold to be one text token: no tag, entity, straight quote or
    apostrophe, and none of the locale's quotation marks (Lithuanian's inner opening mark
    is a comma). Nothing in such a value is flipped or escaped, and only a text-case
    changes it."""
    found = _PLAIN_PATTERNS.get(marks)
    if found is None:
        special = "<>&\"'’" + "".join(mark for mark in (marks.open, marks.close,
                                                         marks.open_inner, marks.close_inner)
                                        if len(mark) == 1)
        found = _PLAIN_PATTERNS[marks] = re.compile(f"[^{re.escape(special)}]*")
    return found


_PLAIN_PATTERNS: dict[QuoteMarks, re.Pattern[str]] = {}


def _plain_text(value: Any) -> str | None:
    """A value as one string when no part of it is protected from case changes (the
    reference's strings are citeproc-py ``MixedString``s of ``String`` and ``NoCase``)."""
    if isinstance(value, str):
        return None if isinstance(value, NoCase) else str(value)
    if isinstance(value, list) and all(type(part) is String for part in value):
        return "".join(value)
    return None


def rich_text(value: Any, element: Any, text_case: str | None = None) -> str:
    """A field value as HTML where ``element`` renders it (see the module's docstring).

    Most values (titles, places, publishers) are plain enough (``plain_enough``) to be
    one text token: they are not scanned for markup and quotes character by character,
    and without a text-case they are their own HTML."""
    marks = QuoteMarks.of(element)
    plain = _plain_text(value)
    if plain is not None and plain_enough(marks).fullmatch(plain):
        if text_case is None:
            return plain
        found = [Token("text", plain)]
    else:
        found = tokens(value, marks)
    context = current_context()
    change_case(found, text_case, context.language or "en")
    return to_html(found, context, marks)


_original_text_markup = Text.markup
_ESCAPED_MARKUP = re.compile(r"&lt;(/?(?:i|b|sc|sup|sub|span)|span class=&quot;nodecor&quot;)&gt;")
"""Rich-text tags in a ``cs:text value``, as citeproc-py hands it over (escaped)."""


def markup(self: Any, text: Any, language: Any) -> Any:
    """cs:text of a variable, macro or value: rich text and case as citeproc-js renders
    them.

    citeproc-py prints a value's markup and quotes as they are and title-cases with a
    short stop-word list, word by word split at spaces only (Multi-country).
    """
    attributes = self.attrib
    if not text or not ("variable" in attributes or "macro" in attributes
                        or "value" in attributes):
        return _original_text_markup(self, text, language)
    text = self.strip_periods(text)
    text_case = self.get("text-case")
    if "value" in attributes:  # citeproc-js reads a style's text as it reads a field
        rendered = rich_text(_ESCAPED_MARKUP.sub(r"<\1>", str(text)), self, text_case)
    elif "variable" in attributes and not isinstance(text, int | float):
        rendered = rich_text(text, self, text_case)
    else:
        rendered = _recased_html(str(text), text_case)
    formatted = self.format(String(rendered))
    undone = current_context().undone
    if undone and any(_formatting(self)[4:]):  # this element's own "normal" (see Context)
        formatted = String(f'<span style="{undone}">') + formatted + String("</span>")
    return self.wrap(self.quote(formatted))


_ESCAPED = re.compile(r"[&<>]")


def _recased_html(rendered: str, text_case: str | None) -> str:
    """A macro's output with ``text-case`` applied to its text, its tags left alone.

    Without a case to apply, text that holds no entity or stray ``<``/``>`` comes back
    as it was (most macro calls: the tokens would be unescaped and escaped again)."""
    if text_case is None and (not _ESCAPED.search(rendered)
                              or not _ESCAPED.search(_TAG.sub("", rendered))):
        return rendered
    found = html_tokens(rendered)
    change_case(found, text_case, current_context().language or "en")
    return "".join(token.text if token.kind == "html"
                   else html.escape(token.text, quote=False) for token in found)


text_render = _in_context(Text.render, with_item=True)
group_render = _in_context(Group.render, with_item=False)
Text.render = text_render
Group.render = group_render
Text.markup = markup
