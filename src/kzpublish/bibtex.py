"""bibtexparser adapter: BibTeX/BibLaTeX entries → CSL-JSON items, as pandoc converts them.

The only module that imports bibtexparser (v2) and pylatexenc (its LaTeX decoder).
bibtexparser splits the file into entries and names into parts; this module resolves
``@string`` macros, month macros and ``#`` concatenation first (bibtexparser's own
middleware leaves ``"a" # b`` as it is written), splits names while their braces still
stand (``{Cousteau Jacques}`` is one corporate name, not "Jacques, C."; the "von" part by
BibLaTeX's rule, a dropping particle, as pandoc reads it: ``_parts``), and then decodes
LaTeX (``{\\"o}`` → ö, ``--`` → –, ``~`` → no-break space, ``\\textit{…}`` → CSL's
``<i>…</i>``). A ``crossref`` child takes its parent's fields (``inherited``). Entry
types and fields map to CSL's as pandoc and Zotero map them;
``pandoc FILE.bib -t csljson`` is the oracle in tests/unit/test_bibtex_pandoc.py.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock
from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.macrospec import MacroSpec

from . import bib_dates
from .bibliography import UNKNOWN_COMMANDS
from .errors import CitationError, Diagnostic, SourcePos, read_text

TYPES = {
    "article": "article-journal", "book": "book", "mvbook": "book", "booklet": "pamphlet",
    "inbook": "chapter", "incollection": "chapter", "inproceedings": "paper-conference",
    "conference": "paper-conference", "proceedings": "book", "collection": "book",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "techreport": "report", "report": "report", "manual": "report", "online": "webpage",
    "www": "webpage", "electronic": "webpage", "unpublished": "manuscript", "misc": "document",
    "patent": "patent", "dataset": "dataset", "software": "software", "periodical": "periodical",
    "inreference": "entry-encyclopedia", "reference": "book", "thesis*": "thesis",
}
_TEXT_FIELDS = {
    "title": "title", "shorttitle": "title-short",
    "publisher": "publisher", "address": "publisher-place", "location": "publisher-place",
    "volume": "volume", "edition": "edition", "series": "collection-title", "doi": "DOI",
    "isbn": "ISBN", "issn": "ISSN", "url": "URL", "note": "note", "abstract": "abstract",
    "school": "publisher", "institution": "publisher", "organization": "publisher",
    "chapter": "chapter-number", "eventtitle": "event", "venue": "event-place",
    "howpublished": "publisher", "pagetotal": "number-of-pages", "volumes": "number-of-volumes",
    "shortjournal": "container-title-short", "keywords": "keyword", "pubstate": "status",
    "origpublisher": "original-publisher", "origlocation": "original-publisher-place",
}
_CONTAINERS = ("journaltitle", "journal", "booktitle", "maintitle")
_NAME_FIELDS = {"author": "author", "editor": "editor", "translator": "translator",
                "bookauthor": "container-author"}
_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master’s thesis",
           "mathesis": "Master’s thesis"}
"""A thesis's or report's kind, as pandoc names BibLaTeX's keys for English."""
_VERBATIM = frozenset(("url", "doi", "eprint", "file", "urldate", "date"))
"""Fields whose LaTeX is not decoded: a URL's ``~`` and ``_`` are characters of it."""
_MONTH_MACROS = {name[:3]: name.capitalize() for name in bib_dates.MONTHS if len(name) > 3}
"""BibTeX's predefined month macros: ``month = mar`` is "March"."""
_RICH_TEXT = {"textit": "i", "emph": "i", "textsl": "i", "textbf": "b", "textsc": "sc",
              "textsuperscript": "sup", "textsubscript": "sub"}
"""LaTeX font commands → CSL-JSON's rich-text tags (kzpublish's ``<sc>`` for small caps)."""
_SYMBOLS = {"TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2ε", "XeTeX": "XeTeX",
            "LuaTeX": "LuaTeX", "BibTeX": "BibTeX", "S": "§", "P": "¶", "copyright": "©",
            "pounds": "£", "euro": "€", "textsection": "§", "textparagraph": "¶"}
"""Text commands pylatexenc does not know, which it dropped ("The {\\TeX}book" read
"The book"), as pandoc writes them."""
_QUOTES = {"enquote": "{", "mkbibquote": "{", "textquote": "[[{"}
"""csquotes' and BibLaTeX's quoting commands (their arguments as pylatexenc parses them):
straight quotes, which the citation layer sets as the entry's language quotes. They were
dropped with their marks ("On \\enquote{Widgets}" read "On Widgets")."""
_ARGUMENTS = {**_QUOTES, "href": "{{"}
"""Commands pylatexenc must be told take arguments (``\\href{URL}{text}``, whose text is
kept, read "\\hrefURLtext")."""
_LANGUAGES = {"russian": "ru", "english": "en", "american": "en-US", "british": "en-GB",
              "german": "de", "ngerman": "de", "french": "fr", "ukrainian": "uk",
              "kazakh": "kk", "spanish": "es", "italian": "it", "polish": "pl"}


def _name(text: str, useprefix: bool) -> dict[str, str]:
    """One name (still LaTeX, braces standing) as a CSL name, as pandoc reads it. A name of
    one braced word group and nothing else is a corporate or literal name, and so is
    BibTeX's "and others". The "von" part is a dropping particle ("Berg, Anna van der",
    sorted under B, as BibLaTeX prints it), a non-dropping one with ``useprefix``."""
    extended = _extended(text)
    if extended is not None:
        return extended
    first, von, last, jr = _parts(text)
    if not first and not von and not jr and len(last) == 1 and (
            (last[0].startswith("{") and last[0].endswith("}")) or last[0] == "others"):
        return {"literal": _decoded(last[0])}
    family, given = _decoded(" ".join(last)), _decoded(" ".join(first))
    if not given and not von:
        return {"literal": family} if " " in family else {"family": family}
    name = {"family": _as_read(family, given), "given": given}
    if von:
        particle = "non-dropping-particle" if useprefix else "dropping-particle"
        name[particle] = _decoded(" ".join(von))
    if jr:
        name["suffix"] = _decoded(" ".join(jr))
    return {part: value for part, value in name.items() if value}


def _parts(text: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """A name's words as (first, von, last, jr), split as pandoc splits them (BibLaTeX's
    rule): the von part is the lower-case words leading the "von Last" words, so "De la
    Fontaine, Jean" is all family name (BibTeX's rule, bibtexparser's, made "De la" a
    particle) and "von Foo bar Baz" is "von" and "Foo bar Baz". Without a comma, the
    first name is the capitalised words before the first lower-case one."""
    sections = [_words(section) for section in _top_level_commas(text)]
    if len(sections) > 3:  # more commas than BibTeX reads: the rest is first name, kept
        sections = [*sections[:2], [word for words in sections[2:] for word in words]]
    if len(sections) == 1:
        words = sections[0]
        capitalised = next((index for index, word in enumerate(words)
                            if not _capitalised(word)), len(words))
        if capitalised == len(words):
            capitalised = max(len(words) - 1, 0)
        first, von_last, jr = words[:capitalised], words[capitalised:], []
    else:
        first, von_last = sections[-1], sections[0]
        jr = sections[1] if len(sections) == 3 else []
    split = next((index for index, word in enumerate(von_last) if _capitalised(word)),
                 len(von_last))
    split = min(split, max(len(von_last) - 1, 0))
    return first, von_last[:split], von_last[split:], jr


def _extended(text: str) -> dict[str, str] | None:
    """A name in BibLaTeX's extended format (``family=Berg, given=Anna, prefix={van der},
    useprefix=true``) as pandoc reads it: its parts as named, the prefix a dropping particle
    unless ``useprefix=true`` follows it; None for a name in the usual format (its first
    word holds no "=") or one naming neither part. It printed "family=Berg" as the family
    name."""
    sections = _top_level_commas(text)
    words = sections[0].split()
    if not words or "=" not in words[0]:
        return None
    name: dict[str, str] = {}
    for section in sections:
        key, _equals, value = (part.strip() for part in section.partition("="))
        value = _decoded(value)
        if key == "given":
            name["given"] = f"{name['given']} {value}" if "given" in name else value
        elif key in ("family", "suffix"):
            name[key] = value
        elif key == "prefix":
            name["dropping-particle"] = value
        elif key == "useprefix" and value.lower() == "true" and "dropping-particle" in name:
            name["non-dropping-particle"] = name.pop("dropping-particle")
    if not (name.get("family") or name.get("given")):
        return None  # no part it names: read as written, never lost
    if name.get("family"):
        name["family"] = _as_read(name["family"], name.get("given", ""))
    return {part: value for part, value in name.items() if value}


def _top_level_commas(text: str) -> list[str]:
    """The comma-separated sections of a name, braced commas not counted."""
    sections, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "," and depth == 0:
            sections.append(text[start:index])
            start = index + 1
    return [*sections, text[start:]]


def _words(section: str) -> list[str]:
    """A section's words, braced groups whole (bibtexparser's tokenizer: ``~`` is a space)."""
    parts = parse_single_name_into_parts(section, strict=False)
    return [*parts.first, *parts.von, *parts.last]


_COMMAND_BEFORE = re.compile(r"\\(?:[A-Za-z]+|[^A-Za-z\s])\s*$")
_RICH = re.compile(r"<(i|b|sc|sup|sub)>.*?</\1>")


def _capitalised(word: str) -> bool:
    """Pandoc's test of a word in a name: its first letter outside braced groups and font
    commands (both pandoc passes over) is upper case, digits skipped; a word that has no
    such letter counts as capitalised ("{van der Berg}" is a family name, not a von
    part); one opening with any other character (an apostrophe) does not."""
    text = word if not any(char in word for char in "\\{") else _RICH.sub(
        "", _decoded(_without_groups(word))).replace(" ", "")  # LaTeX is slow to decode
    stripped = text.lstrip("0123456789")
    return not stripped or stripped[0].isupper()


def _without_groups(word: str) -> str:
    """WORD without its braced groups, except a command's argument (``\\"{O}``)."""
    kept: list[str] = []
    depth, skipping = 0, False
    for char in word:
        if char == "{":
            if depth == 0:
                skipping = not _COMMAND_BEFORE.search("".join(kept))
            depth += 1
        if not (skipping and depth):
            kept.append(char)
        if char == "}" and depth:
            depth -= 1
    return "".join(kept)


def _lower_initial(word: str) -> bool:
    """A word opening (after apostrophes and hyphens) in lower case: a particle to
    citeproc-js."""
    letters = word.lstrip("-'ʻ’")
    return bool(letters) and letters[0] != letters[0].upper()


def _as_read(family: str, given: str) -> str:
    """The family name, in double quotes when a word of it, or the given name's last,
    opens in lower case: the BibTeX split is final, and pandoc prints and sorts "van der
    Berg" of ``{van der Berg}, Anna`` or "d'Alembert" as read, under V and D. Quotes are
    citeproc-js's (and ``csl.names``') mark for that; CSL-JSON data without them have their
    particles parsed out ("Berg, Anna van der", "Alembert, Jean d'", sorted under B, A)."""
    lower = any(_lower_initial(word) for word in family.split()) or (
        given and _lower_initial(given.split()[-1]))
    return f'"{family}"' if lower else family


def _names(value: str, useprefix: bool) -> list[dict[str, str]]:
    return [_name(name, useprefix) for name in split_multiple_persons_names(value)
            if name.strip()]


def _option(options: str, key: str) -> bool:
    """Whether BibLaTeX's ``options = {useprefix=true, …}`` sets KEY (alone it means true)."""
    for option in options.split(","):
        name, _, value = option.partition("=")
        if name.strip().lower() == key:
            return value.strip().lower() in ("", "true")
    return False


@cache
def _decoder() -> LatexNodes2Text:
    """pylatexenc's LaTeX → Unicode, font commands → CSL rich text."""
    context = get_default_latex_context_db()
    context.add_context_category("kzpublish", prepend=True, macros=[
        MacroTextSpec("url", simplify_repl="%s"),
        MacroTextSpec("href", simplify_repl="%(2)s"),
        *(MacroTextSpec(command, simplify_repl=text) for command, text in _SYMBOLS.items()),
        *(MacroTextSpec(command, simplify_repl=f'"%({len(arguments)})s"')
          for command, arguments in _QUOTES.items()),
        *(MacroTextSpec(command, simplify_repl=f"<{tag}>%s</{tag}>")
          for command, tag in _RICH_TEXT.items())])
    # Math as text: "$\alpha$-particles" reads "α-particles", never TeX source.
    return LatexNodes2Text(latex_context=context, math_mode="text")


@cache
def _parsing_context() -> Any:
    """pylatexenc's parser context, told that every font command takes an argument (it
    knows ``\\textit`` but not ``\\textsuperscript``)."""
    context = latexwalker.get_default_latex_context_db()
    context.add_context_category("kzpublish", prepend=True, macros=[
        *(MacroSpec(command, "{") for command in _RICH_TEXT),
        *(MacroSpec(command, arguments) for command, arguments in _ARGUMENTS.items())])
    return context


def _decoded(latex: str) -> str:
    """LaTeX text as Unicode with CSL rich text; the text as written if it is no LaTeX."""
    try:
        walker = latexwalker.LatexWalker(latex, latex_context=_parsing_context(),
                                         tolerant_parsing=True)
        text = _decoder().nodelist_to_text(walker.get_latex_nodes()[0])
    except Exception:  # pylatexenc's parse errors: the author's text is kept, not lost
        text = latex.replace("{", "").replace("}", "")
    return re.sub(r"[ \t\n]+", " ", text).strip()


def _split_concatenation(raw: str) -> list[str]:
    """A field value's ``#``-joined pieces, each as written (quoted, braced or a name)."""
    pieces, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(raw):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            pieces.append(raw[start:index])
            start = index + 1
    return [*pieces, raw[start:]]


def expand(raw: str, strings: dict[str, str]) -> str:
    """A field's value as BibTeX reads it: its delimiters off, ``@string`` and month macros
    replaced, ``#`` pieces joined. A name no macro defines stays as written."""
    text = []
    for piece in (piece.strip() for piece in _split_concatenation(raw)):
        if len(piece) >= 2 and (piece[0], piece[-1]) in (("{", "}"), ('"', '"')):
            text.append(piece[1:-1])
        else:
            text.append(strings.get(piece.lower(), _MONTH_MACROS.get(piece.lower(), piece)))
    return "".join(text)


_WORD_RE = re.compile(r"(?<![\\\w])([^\W\d_])([^\W\d_]*)")
_SENTENCE_CASED = ("title", "subtitle", "shorttitle", "booktitle", "booksubtitle", "maintitle",
                   "series")
"""Fields pandoc sets in sentence case for an English entry (CSL data is sentence case:
the style title-cases what it wants)."""
_ENGLISH = frozenset(("", "english", "american", "british", "usenglish", "ukenglish",
                      "canadian", "australian", "newzealand", "en", "en-us", "en-gb"))


def sentence_case(latex: str) -> str:
    """LaTeX title text in sentence case, as pandoc converts an English BibTeX title: a
    capitalised word ("World") is lower-cased unless it opens the title or follows a colon;
    words in braces, with capitals inside ("DNA", "McDonald", "iPhone") and commands stay."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(latex):  # top-level text apart from braced groups
        if char == "{":
            if depth == 0:
                parts.append((latex[start:index], True))
                start = index
            depth += 1
        elif char == "}" and depth:
            depth -= 1
            if depth == 0:  # a command's argument is text, braces around it protect
                command = re.search(r"\\([A-Za-z]+)\s*$", latex[:start])
                argument = command is not None and command[1] != "textsc"  # pandoc keeps sc
                parts.append((latex[start:index + 1], argument))
                start = index + 1
    parts.append((latex[start:], True))
    done = ""
    for text, open_text in parts:
        done += _lowered(text, done) if open_text else text
    return done


def _lowered(text: str, before: str) -> str:
    """TEXT (outside braces) with its capitalised words lower-cased; BEFORE: the title so far."""
    def lower(match: re.Match[str]) -> str:
        preceding = (before + text[:match.start()]).rstrip()
        if not preceding or preceding.endswith(":") or not match[2].islower():
            return match[0]
        return match[0].lower()
    return _WORD_RE.sub(lower, text)


def _month(value: str) -> int | None:
    """``3``, ``mar``, ``March`` (any case) → 3. A number past 12 is kept, as pandoc keeps
    it: 13–16 are CSL's seasons, and the bibliography's check warns about the others."""
    text = value.strip().lower().rstrip(".")
    if text.isdigit():
        return int(text) or None
    return bib_dates.MONTHS.get(text)


def biblatex_date(text: str) -> dict[str, Any] | None:
    """A BibLaTeX ``date``/``urldate`` (ISO 8601-2) as CSL, as pandoc reads it: a year
    before 1 counted astronomically ("-0050" is 51 BC, "0000" 1 BC), a trailing "/" an
    open range ("2019/": 2019–)."""
    date = bib_dates.normalise(text.strip().rstrip("/")) or None
    if date is None or "date-parts" not in date:
        return date
    parts = [[one[0] - 1 if one[0] <= 0 else one[0], *one[1:]] for one in date["date-parts"]]
    if text.strip().endswith("/") and len(parts) == 1:
        parts.append([0])
    return {**date, "date-parts": parts}


def _issued(fields: dict[str, Any]) -> dict[str, Any] | None:
    if "date" in fields:
        return biblatex_date(str(fields["date"]))
    if "year" not in fields:
        return None
    year = re.findall(r"-?\d{1,4}", str(fields["year"]))
    month = _month(str(fields.get("month", "")))
    if not year or not re.fullmatch(r"\s*-?\d{1,4}\s*", str(fields["year"])):
        return bib_dates.normalise(str(fields["year"])) or None
    parts = [int(year[0])] + ([month] if month else [])
    return {"date-parts": [parts]}


def to_csl(key: str, entry_type: str, raw: dict[str, str]) -> dict[str, Any]:
    """One entry (its fields with macros resolved, still LaTeX) as a CSL-JSON item."""
    item: dict[str, Any] = {"id": key, "type": TYPES.get(entry_type.lower(), "document")}
    useprefix = _option(raw.get("options", ""), "useprefix")
    for role, csl_role in _NAME_FIELDS.items():
        if raw.get(role, "").strip():
            item[csl_role] = _names(raw[role], useprefix)
    english = str(raw.get("langid") or raw.get("language") or "").strip().lower() in _ENGLISH
    fields = {name: value if name in _VERBATIM else _decoded(
        sentence_case(value) if english and name in _SENTENCE_CASED else value)
        for name, value in raw.items() if name not in _NAME_FIELDS}
    if fields.get("subtitle"):  # pandoc's title: "Title: Subtitle"
        fields["title"] = f"{fields.get('title', '')}: {fields.pop('subtitle')}".lstrip(": ")
    _texts(item, fields, entry_type.lower())
    _dates(item, fields)
    language = str(fields.get("langid") or fields.get("language") or "").lower()
    if language:
        item["language"] = _LANGUAGES.get(language, language)
    unknown = _unknown_commands(raw)
    if unknown:
        item[UNKNOWN_COMMANDS] = unknown
    return item


_COMMAND = re.compile(r"\\([A-Za-z]+)")


def _unknown_commands(raw: dict[str, str]) -> list[str]:
    """The LaTeX commands of RAW's decoded fields that the decoder does not know."""
    known = _decoder().latex_context.get_macro_spec
    return sorted({f"\\{name}" for field, value in raw.items() if field not in _VERBATIM
                   for name in _COMMAND.findall(value) if known(name) is None})


def _texts(item: dict[str, Any], fields: dict[str, str], entry_type: str) -> None:
    """The text and number fields, under CSL's names."""
    for name, csl_name in _TEXT_FIELDS.items():
        if name in fields and csl_name not in item:
            item[csl_name] = str(fields[name])
    if "title-short" not in item and ": " in item.get("title", ""):
        item["title-short"] = item["title"].split(": ")[0]  # pandoc: the main title
    container = next((fields[k] for k in _CONTAINERS if k in fields), None)
    if container:
        subtitle = fields.get("booksubtitle") if container == fields.get("booktitle") else None
        item["container-title"] = f"{container}: {subtitle}" if subtitle else str(container)
    if "number" in fields:  # a journal's issue, a series' volume, a report's number
        where = "issue" if item["type"].startswith("article") else \
            "collection-number" if "series" in fields else "number"
        item[where] = str(fields["number"])
    if "pages" in fields:
        item["page"] = str(fields["pages"]).replace("–", "-")
    genre = fields.get("type") or (entry_type if entry_type in _GENRES else "")
    if genre:
        item["genre"] = _GENRES.get(genre.lower(), genre)


def _dates(item: dict[str, Any], fields: dict[str, str]) -> None:
    if issued := _issued(fields):
        item["issued"] = issued
    for name, csl_name in (("urldate", "accessed"), ("origdate", "original-date"),
                           ("eventdate", "event-date")):
        if name in fields and (date := biblatex_date(str(fields[name]))):
            item[csl_name] = date


_AS_CONTAINER = {"title": "booktitle", "subtitle": "booksubtitle",
                 "titleaddon": "booktitleaddon"}
"""A cross-referenced parent's fields its child takes under another name (BibLaTeX)."""
_NOT_INHERITED = frozenset(("author", "shorttitle", "ids", "crossref", "xref", "xdata",
                            "entryset", "label", "sortkey", "keywords"))


def inherited(fields: dict[str, str], entries: dict[str, dict[str, str]],
              seen: frozenset[str] = frozenset()) -> dict[str, str]:
    """FIELDS with what its ``crossref`` parent gives, as pandoc reads BibLaTeX: every field
    the child lacks, the parent's title as the child's booktitle (a paper's proceedings)."""
    parent_key = fields.get("crossref", "").strip().lower()
    if not parent_key or parent_key not in entries or parent_key in seen:
        return fields
    parent = inherited(entries[parent_key], entries, seen | {parent_key})
    given = {_AS_CONTAINER.get(name, name): value for name, value in parent.items()
             if name not in _NOT_INHERITED}
    return {**given, **fields}


def _unreadable(path: Path, block: Any) -> Diagnostic:
    """The first entry bibtexparser gave up on, with its own reason when it has one."""
    error = getattr(block, "error", None)
    reason = str(getattr(error, "abort_reason", "") or error or "").strip().splitlines()
    detail = reason[0].rstrip(".").lower() if reason else "not BibTeX"
    return Diagnostic(SourcePos(path, (block.start_line or 0) + 1, 1),
                      f"cannot read this BibTeX entry ({detail}) — check its braces and commas")


def load(path: Path) -> list[dict[str, Any]]:
    """Every entry of a .bib file as CSL-JSON, each with ``_line`` for messages."""
    parser_log = logging.getLogger("bibtexparser")
    level = parser_log.level
    parser_log.setLevel(logging.ERROR)  # its warnings repeat what the error below says
    try:  # no middlewares: macros, concatenation, names and LaTeX are this module's
        library = bibtexparser.parse_string(read_text(path, CitationError), parse_stack=[])
    finally:
        parser_log.setLevel(level)
    unreadable = [block for block in library.failed_blocks
                  if not isinstance(block, DuplicateBlockKeyBlock)]
    if unreadable:
        raise CitationError([_unreadable(path, unreadable[0])])
    strings: dict[str, str] = {}
    for string in library.strings:  # in file order: a macro may use those before it
        strings[string.key.lower()] = expand(str(string.value), strings)
    raw = {entry.key.lower(): {field.key.lower(): expand(str(field.value), strings)
                               for field in entry.fields} for entry in library.entries}
    items = [{**to_csl(entry.key, entry.entry_type, inherited(raw[entry.key.lower()], raw)),
              "_line": (entry.start_line or 0) + 1} for entry in library.entries]
    # A repeated key is the bibliography lint's to report, with where the first one is.
    items += [{"id": block.key, "_line": (block.start_line or 0) + 1}
              for block in library.failed_blocks if isinstance(block, DuplicateBlockKeyBlock)]
    return sorted(items, key=lambda item: item["_line"])
