"""book.toml → a frozen ``Config``: every key checked up front, all errors at once.

Unknown keys are errors that name the key (MkDocs' habit): a typo such as
``bibliografy`` must not silently fall back to a default.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date as Date
from pathlib import Path
from typing import Any

from . import assets, confine, images, style_lookup
from .errors import ConfigError, Diagnostic, SourcePos, read_text

BOOK_TOML = Path("manuscript") / "book.toml"
PAGE_SIZES = ("A4", "A5", "A6", "B5", "letter", "legal")
ENTRY_LANGUAGES = ("own", "book")
"""``entry-language``: each entry in its source's language (default), or all in the book's."""
MAX_TOC_DEPTH = 3
"""The deepest ``toc-depth``: the stylesheets indent the contents three levels deep."""
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
UNTRUSTED_ENV = "KZPUBLISH_UNTRUSTED"
"""Set to 1 for untrusted mode (``--untrusted`` sets it for the command it runs)."""
_SWITCH = {"1": True, "true": True, "yes": True, "on": True,
           "": False, "0": False, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class PdfOptions:
    """The ``[pdf]`` table."""

    page_size: str = "A5"


@dataclass(frozen=True)
class Config:
    """A validated book.toml plus the paths it resolves to."""

    project: Path
    file: Path
    title: str
    authors: tuple[str, ...]
    language: str
    chapters: tuple[Path, ...]
    bibliography: Path
    """The first bibliography file (the one messages suggest adding to)."""
    csl: str
    subtitle: str = ""
    date: str = ""
    identifier: str = ""
    version: str = ""
    slug: str = ""
    cover: str = ""
    more_bibliographies: tuple[Path, ...] = ()
    nocite: tuple[str, ...] = ()
    subject: str = ""
    keywords: tuple[str, ...] = ()
    references_per_chapter: bool = False
    entry_language: str = "own"
    """"own": each reference's entry and citations in its own ``language`` (GOST R
    7.0.5 / 7.1: a record is described in the language of the source — "et al.",
    "p." for an English source in a Russian book); "book": all in the book's language
    (Pandoc's and citeproc-js's way). Russian practice is the default."""
    number_sections: bool = False
    """Headings numbered "1", "1.1"… in every edition and the contents (Pandoc's
    ``--number-sections``); headings marked ``{-}`` or ``.unnumbered`` are not."""
    number_within_chapters: bool = False
    """Figures, tables, equations and listings numbered within their chapter, "2.1"
    (pandoc-crossref's ``chapters``; Quarto's books number so)."""
    toc_depth: int | None = None
    """The heading levels the contents list, in every edition (Pandoc's ``toc-depth``);
    None: the editions' own (sections in the PDF, chapters in the EPUB nav and HTML)."""
    lof: bool = False
    """A list of the labelled figures after the contents (Quarto's ``lof``)."""
    lot: bool = False
    """A list of the labelled tables after the contents (Quarto's ``lot``)."""
    pdf: PdfOptions = PdfOptions()
    untrusted: bool = False
    """Untrusted mode (``--untrusted`` / ``KZPUBLISH_UNTRUSTED=1``, for CI on pull requests):
    project templates refused, raw HTML cut to the allow-list (``sanitize``). Not a
    book.toml key: the manuscript under review must not be able to switch it off."""

    @property
    def bibliographies(self) -> tuple[Path, ...]:
        """Every bibliography file, relative to manuscript/, in book.toml's order."""
        return (self.bibliography, *self.more_bibliographies)

    @property
    def manuscript(self) -> Path:
        """The folder chapter and bibliography paths are relative to."""
        return self.project / "manuscript"


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _cover(value: Any) -> str | None:
    """An image of a type every EPUB reading system shows (EPUB 3's core media types): a
    TIFF or BMP went into the EPUB as a PNG that epubcheck refuses."""
    return value if _string(value) and Path(value).suffix.lower() in images.MEDIA_TYPES else None


def _string_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    return None


def _files(value: Any) -> tuple[str, ...] | None:
    """One file name or a list of them."""
    return (value,) if _string(value) else _string_list(value) or None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _toc_depth(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and \
        1 <= value <= MAX_TOC_DEPTH else None


def _nocite(value: Any) -> tuple[str, ...] | None:
    """A list of keys to list uncited, or "*" for every reference."""
    return ("*",) if value == "*" else _string_list(value)


def _date(value: Any) -> str | None:
    if isinstance(value, Date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return Date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


def _language(value: Any) -> str | None:
    return value if isinstance(value, str) and _LANGUAGE.match(value) else None


def _slug(value: Any) -> str | None:
    return value if isinstance(value, str) and _SLUG.match(value) else None


# key → (required, parser returning None when invalid, what a valid value looks like)
_TOP_KEYS: dict[str, tuple[bool, Any, str]] = {
    "title": (True, _string, "a non-empty string"),
    "subtitle": (False, _string, "a non-empty string"),
    "authors": (True, _string_list, 'a list of names, e.g. ["Анна Петрова"]'),
    "language": (True, _language, 'a BCP 47 tag such as "ru" or "en-GB"'),
    "date": (False, _date, "a date written YYYY-MM-DD"),
    "chapters": (True, lambda v: _string_list(v) or None,
                 'a non-empty list of Markdown files, e.g. ["01-intro.md"]'),
    "bibliography": (True, _files, 'a file or a list of files (.json CSL-JSON, .yaml '
                     'CSL-YAML, .bib BibTeX), e.g. "references.json"'),
    "nocite": (False, _nocite, 'a list of reference ids to list uncited, or "*" for all'),
    "subject": (False, _string, "a one-line description, e.g. for PDF and EPUB metadata"),
    "keywords": (False, _string_list, 'a list of words, e.g. ["history", "printing"]'),
    "references-per-chapter": (False, _bool, "true or false (a reference list after each "
                               "chapter instead of one for the book)"),
    "entry-language": (False, lambda v: v if v in ENTRY_LANGUAGES else None,
                       '"own" (each entry in its source\'s language, e.g. "et al." for an '
                       'English source in a Russian book) or "book" (every entry in the '
                       "book's language)"),
    "number-sections": (False, _bool, "true or false (headings numbered 1, 1.1… in every "
                        "edition; {-} leaves one unnumbered)"),
    "number-within-chapters": (False, _bool, "true or false (figures, tables, equations and "
                               "listings numbered 2.1, 2.2… within their chapter)"),
    "toc-depth": (False, _toc_depth, "1, 2 or 3 (the heading levels the contents list: "
                  "1 chapters, 2 and their sections, 3 and their subsections)"),
    "lof": (False, _bool, "true or false (a list of figures after the contents)"),
    "lot": (False, _bool, "true or false (a list of tables after the contents)"),
    "csl": (True, _string, 'a style name such as "apa" or a path ending in .csl'),
    "identifier": (False, _string, 'a string such as "urn:isbn:9780000000000"'),
    "version": (False, _string, 'a string such as "1.0"'),
    "slug": (False, _slug, 'lower-case letters, digits, ".", "_" or "-", e.g. "my-book"'),
    "cover": (False, _cover, 'a PNG, JPEG, GIF, WebP or SVG image relative to manuscript/, '
              'e.g. "cover.png"'),
    "pdf": (False, lambda v: v if isinstance(v, dict) else None, "a table, e.g. [pdf]"),
}
_PDF_KEYS: dict[str, tuple[bool, Any, str]] = {
    "page-size": (False, lambda v: v if v in PAGE_SIZES else None, " or ".join(PAGE_SIZES)),
}


class _KeyLocator:
    """Finds the line and column of a key in the TOML text (tomllib keeps no positions)."""

    def __init__(self, file: Path, text: str):
        self.file = file
        self.lines = text.splitlines()

    def pos(self, key: str, table: str = "") -> SourcePos:
        """The key's own line; else its table's header line; else the file."""
        current, header = "", None
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            if stripped.startswith("["):
                current = stripped.strip("[] ")
                header = number if current == table else header
            elif current == table and re.match(rf"\s*(\"?){re.escape(key)}\1\s*=", line):
                return SourcePos(self.file, number, line.index(key[0]) + 1)
        return SourcePos(self.file, header, 1) if header else SourcePos(self.file)

    def value_pos(self, key: str, value: str, occurrence: int = 1) -> SourcePos:
        """Where the string ``value`` is written in ``key``'s value (its ``occurrence``-th
        time, for a repeated list item); else the key's line."""
        start = self.pos(key)
        if start.line is None:
            return start
        seen = 0
        for number in range(start.line, len(self.lines) + 1):
            line = self.lines[number - 1]
            for quoted in _quoted_strings(line, value, first=number == start.line):
                seen += 1
                if seen == occurrence:
                    return SourcePos(self.file, number, quoted + 1)
        return start


def _quoted_strings(line: str, value: str, first: bool) -> list[int]:
    """Columns (0-based) of ``"value"`` or ``'value'`` in ``line`` (after the ``=`` on the
    key's own line)."""
    start = line.index("=") if first and "=" in line else 0
    pattern = re.compile(rf"([\"']){re.escape(value)}\1")
    return [match.start() for match in pattern.finditer(line, start)]


def key_position(file: Path, key: str, table: str = "") -> SourcePos:
    """Where ``key`` is set in a book.toml, for errors found after loading it."""
    if not file.is_file():  # a Config made in code, not read from a file
        return SourcePos(file)
    return _KeyLocator(file, read_text(file, ConfigError)).pos(key, table)


def _check_keys(
    data: dict[str, Any],
    spec: dict[str, tuple[bool, Any, str]],
    where: _KeyLocator,
    table: str = "",
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Parse ``data`` by ``spec``; return the parsed values and every problem found."""
    values: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    name = f"[{table}] " if table else ""
    for key in data:
        if key not in spec:
            known = ", ".join(sorted(spec))
            problems.append(Diagnostic(
                where.pos(key, table),
                f"unknown key {name}'{key}' — use one of: {known}"))
    for key, (required, parse, shape) in spec.items():
        if key not in data:
            if required:
                problems.append(Diagnostic(
                    SourcePos(where.file), f"missing key '{key}' — add {key} = {shape}"))
            continue
        value = parse(data[key])
        if value is None:
            problems.append(Diagnostic(
                where.pos(key, table), f"bad value for {name}'{key}' — it must be {shape}"))
        values[key] = value
    return values, problems


# key → (what the file is, how to fix a missing one)
_FILE_KEYS = {
    "chapters": ("chapter file", "create it or fix the name in 'chapters'"),
    "cover": ("cover image", "add the image or remove 'cover'"),
    "bibliography": ("bibliography", "create it or fix 'bibliography'"),
}


_OVERRIDES = ("styles", "templates")
"""The project's folders that replace built-in files: a symlink out of the project there is
refused up front, before a build spends time on what a writer would refuse."""


def _check_files(values: dict[str, Any], project: Path, where: _KeyLocator) -> list[Diagnostic]:
    """Every file book.toml names must exist inside the project (``confine``), relative to
    manuscript/; a chapter is listed once. The project's override folders and stylesheets
    are held to the boundary here too, before anything is built."""
    manuscript = project / "manuscript"
    problems = []
    for key, (noun, fix) in _FILE_KEYS.items():
        names = values.get(key) or ()
        written: dict[str, int] = {}
        files: set[Path] = set()
        for name in (names,) if isinstance(names, str) else names:
            written[name] = written.get(name, 0) + 1
            pos = where.value_pos(key, name, written[name])
            target = confine.inside(project, manuscript / name)
            if target is None:
                problems.append(Diagnostic(pos, confine.outside(noun, name, project)))
            elif not target.is_file():
                problems.append(Diagnostic(  # at the key, as before value positions
                    where.pos(key), f"{noun} '{name}' not found in {manuscript} — {fix}"))
            elif target in files and key == "chapters":
                problems.append(Diagnostic(
                    pos, f"chapter file '{name}' is listed twice — list each chapter once"))
            files.add(target or manuscript / name)
    links_out = [problem for folder in _OVERRIDES
                 for problem in confine.folder_links_out(project, project / folder)]
    return [*problems, *_check_style_file(values.get("csl"), project, where), *links_out,
            *assets.url_problems(project), *_cover_loads(values.get("cover"), project)]


def _cover_loads(cover: Any, project: Path) -> list[Diagnostic]:
    """What an SVG cover loads, held as a chapter's SVG picture is: a remote image or a
    file outside the project in it is an error at its place in the SVG (the EPUB carried
    it unchecked)."""
    if not isinstance(cover, str) or not cover.lower().endswith(".svg"):
        return []
    target = confine.inside(project, project / "manuscript" / cover)
    return images.svg_loads(target, project).errors if target and target.is_file() else []


def _check_style_file(csl: Any, project: Path, where: _KeyLocator) -> list[Diagnostic]:
    """A ``csl`` path (relative to the project) must stay inside it (or be one of the
    installed styles); a name is looked up later, where a missing style is reported."""
    if not isinstance(csl, str) or not csl.endswith(".csl"):
        return []
    path = Path(csl) if Path(csl).is_absolute() else project / csl
    if not style_lookup.allowed(path, project):
        return [Diagnostic(where.value_pos("csl", csl), confine.outside("CSL file", csl, project))]
    return []


def _where_to_look(project: Path) -> str:
    """What to do when PROJECT has no manuscript/book.toml: name the project folder when
    PROJECT is its manuscript/ folder or its book.toml, else start a project."""
    for folder in (project, project.parent):
        if (folder / "book.toml").is_file() and folder.name == BOOK_TOML.parent.name:
            return f"give the project folder, {folder.parent}, not its manuscript/"
    return "run 'kzpublish new DIR' to start a project"


def load(project: Path) -> Config:
    """Read and validate PROJECT/manuscript/book.toml; raise ``ConfigError`` with every problem."""
    untrusted = untrusted_mode()
    file = project / BOOK_TOML
    if not file.is_file():
        raise ConfigError.at(SourcePos(file), f"no book.toml here — {_where_to_look(project)}")
    confine.require(project, file, SourcePos(file), "book.toml", BOOK_TOML.as_posix())
    text = read_text(file, ConfigError)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_error_position(str(exc), text)
        raise ConfigError.at(
            SourcePos(file, line, col),
            f"not valid TOML ({str(exc).split(' (at')[0]}) — fix the syntax") from None
    where = _KeyLocator(file, text)
    values, problems = _check_keys(data, _TOP_KEYS, where)
    pdf_values: dict[str, Any] = {}
    if isinstance(values.get("pdf"), dict):
        pdf_values, pdf_problems = _check_keys(values["pdf"], _PDF_KEYS, where, "pdf")
        problems += pdf_problems
    problems += _check_files(values, project, where)
    if problems:
        raise ConfigError(problems)
    return replace(_to_config(project, file, values, pdf_values), untrusted=untrusted)


def untrusted_mode() -> bool:
    """Whether ``KZPUBLISH_UNTRUSTED`` asks for untrusted mode.

    The environment is the one switch: ``--untrusted`` sets it for the command, so every
    command, ``check`` run inside a build, and worker process sees the same mode. A value
    it does not know is an error, not trusted mode: a typo must not turn the guard off.
    """
    value = os.environ.get(UNTRUSTED_ENV, "")
    if value.strip().lower() in _SWITCH:
        return _SWITCH[value.strip().lower()]
    raise ConfigError.at(SourcePos(Path(UNTRUSTED_ENV)),
                         f"{value!r} is not a yes or no — set {UNTRUSTED_ENV}=1 for untrusted "
                         "mode, or unset it")


def _toml_error_position(message: str, text: str) -> tuple[int | None, int | None]:
    """tomllib's message holds the place: "(at line 2, column 5)" or "(at end of document)"."""
    match = re.search(r"line (\d+), column (\d+)", message)
    if match:
        return int(match[1]), int(match[2])
    return (text.count("\n") + 1, 1) if "end of document" in message else (None, None)


def _to_config(
    project: Path, file: Path, values: dict[str, Any], pdf: dict[str, Any]
) -> Config:
    return Config(
        project=project,
        file=file,
        title=values["title"],
        subtitle=values.get("subtitle", ""),
        authors=values["authors"],
        language=values["language"],
        date=values.get("date", ""),
        chapters=tuple(Path(c) for c in values["chapters"]),
        bibliography=Path(values["bibliography"][0]),
        more_bibliographies=tuple(Path(b) for b in values["bibliography"][1:]),
        csl=values["csl"],
        identifier=values.get("identifier", ""),
        version=values.get("version", ""),
        slug=values.get("slug", ""),
        cover=values.get("cover", ""),
        nocite=values.get("nocite", ()),
        subject=values.get("subject", ""),
        keywords=values.get("keywords", ()),
        references_per_chapter=values.get("references-per-chapter", False),
        entry_language=values.get("entry-language", "own"),
        number_sections=values.get("number-sections", False),
        number_within_chapters=values.get("number-within-chapters", False),
        toc_depth=values.get("toc-depth"),
        lof=values.get("lof", False),
        lot=values.get("lot", False),
        pdf=PdfOptions(page_size=pdf.get("page-size", "A5")),
    )
