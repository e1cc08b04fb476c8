"""Reference files in: CSL-JSON, CSL-YAML and BibTeX/BibLaTeX, checked and normalised.

Every format becomes CSL-JSON items with their source positions, so the lint
in ``kzpublish check`` can point at FILE:LINE:COL. Items are normalised as Zotero and
Better BibTeX write them: dates in any spelling (``bib_dates``), Zotero's note fields
(``note_fields``), name keys and numbers citeproc-py cannot take. The YAML reader (PyYAML) is
imported here only; BibTeX goes through ``bibtex`` (bibtexparser v2).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import bib_dates, intl, yaml_text
from .errors import CitationError, Diagnostic, SourcePos, read_text

CSL_TYPES = frozenset((
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
))
DATE_FIELDS = ("issued", "accessed", "original-date", "event-date", "submitted",
               "available-date")
# CSL 1.0.2 name variables: each holds a list of names, never text.
NAME_FIELDS = frozenset((
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director", "editor-translator",
    "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator",
    "organizer", "original-author", "performer", "producer", "recipient", "reviewed-author",
    "script-writer", "series-creator", "translator",
))
_NAME_EXAMPLE = '[{"family": "Smith", "given": "Jane"}] or [{"literal": "UNESCO"}]'
MULTILINGUAL = "multi"
"""citeproc-js's alternate versions of an item's or a name's fields in other languages and
scripts (Zotero's multilingual data, ``{"main": "ja", "_keys": {"title": {"en": …}}}``).
Only CSL-M styles with citeproc-js's language preferences print them; a CSL 1.0.2 style,
and citeproc-js without such preferences, prints the fields themselves. So dropping it
loses nothing a book prints, and no warning is given."""
# What a reader needs to find the source, beyond a title and a date.
NEEDED = {
    "article-journal": ("container-title",), "article-magazine": ("container-title",),
    "article-newspaper": ("container-title",), "chapter": ("container-title",),
    "paper-conference": ("container-title",), "entry-encyclopedia": ("container-title",),
    "webpage": ("URL",), "post-weblog": ("URL",), "thesis": ("publisher",),
}
FORMATS = {".json": "CSL-JSON", ".yaml": "CSL-YAML", ".yml": "CSL-YAML", ".bib": "BibTeX",
           ".bibtex": "BibTeX", ".biblatex": "BibLaTeX"}


@dataclass(frozen=True)
class References:
    """The book's references, as citeproc wants them, and where each was written."""

    items: list[dict[str, Any]]
    positions: dict[str, SourcePos]
    warnings: list[Diagnostic]


def _json(path: Path) -> list[dict[str, Any]]:
    text = read_text(path, CitationError)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CitationError.at(SourcePos(path, exc.lineno, exc.colno),
                               f"not valid JSON ({exc.msg}) — fix the syntax") from None
    return _with_lines(path, text, data, r'"id"\s*:\s*(?:"([^"]+)"|(-?\d+))')


_BLOCK_OPEN = re.compile(r"---[ \t]*\r?\n")
_BLOCK_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


def _yaml(path: Path) -> list[dict[str, Any]]:
    text = _metadata_block(read_text(path, CitationError))
    data = yaml_text.load(text, path, CitationError)
    if isinstance(data, dict) and "references" in data:
        data = data["references"]  # Pandoc's metadata form
    return _with_lines(path, text, [] if data is None else data,
                       r"^\s*-?\s*id\s*:\s*['\"]?([^'\"\s]+)")


def _metadata_block(text: str) -> str:
    """Pandoc's form, a YAML block between ``---`` and ``---`` or ``...``, up to its end:
    pandoc reads a block closed by ``---`` too, where PyYAML saw a second document."""
    opening = _BLOCK_OPEN.match(text)
    closing = _BLOCK_CLOSE.search(text, opening.end()) if opening else None
    return text[:closing.start()] if closing else text


def _with_lines(path: Path, text: str, data: Any, id_pattern: str) -> list[dict[str, Any]]:
    """Attach to each item the line and column of its id (JSON and YAML keep no positions)."""
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise CitationError.at(SourcePos(path, 1, 1), f"{FORMATS[path.suffix.lower()]} must "
                               "be a list of references — wrap them in [ … ]")
    places: dict[str, list[tuple[int, int]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in re.finditer(id_pattern, line, re.M):
            group = match.lastindex or 1  # the id's group: quoted, or a number (JSON)
            places.setdefault(match[group], []).append((number, match.start(group) + 1))
    for item in data:
        found = places.get(str(item.get("id")), [])
        item["_line"], item["_col"] = found.pop(0) if found else (1, 1)
    return data


def _read(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise CitationError.at(SourcePos(path), "unknown bibliography format — use .json "
                               "(CSL-JSON), .yaml (CSL-YAML) or .bib (BibTeX/BibLaTeX)")
    if suffix == ".json":
        return _json(path)
    if suffix in (".yaml", ".yml"):
        return _yaml(path)
    from . import bibtex  # bibtexparser is imported only for a .bib bibliography

    return bibtex.load(path)


def _shape_errors(item: dict[str, Any], pos: SourcePos) -> list[Diagnostic]:
    """Fields whose value has the wrong shape for CSL-JSON: names that are not a list of
    names, text fields holding lists or objects — citeproc would stop on them mid-build.
    A number in a text field (YAML's ``title: 1984``, ``volume: 3``) becomes its text."""
    errors = []
    item.pop(MULTILINGUAL, None)
    for field, value in item.items():
        if field in NAME_FIELDS:
            if not (isinstance(value, list) and all(_is_name(name) for name in value)):
                errors.append(Diagnostic(pos, f"reference '{item.get('id')}': {field} must be "
                                         f"a list of names — write {_NAME_EXAMPLE}"))
        elif field in DATE_FIELDS or field in ("custom", "categories"):  # never printed
            continue
        elif isinstance(value, int | float) and not isinstance(value, bool):
            item[field] = str(value)
        elif not isinstance(value, str):
            errors.append(Diagnostic(pos, f"reference '{item.get('id')}': {field} must be "
                                     f"text, not {type(value).__name__} — write it as a string"))
    return errors


def _is_name(name: Any) -> bool:
    return isinstance(name, dict) and all(
        isinstance(part, str | int | bool) for key, part in name.items() if key != MULTILINGUAL)


_NOTE_LINE = re.compile(r"^\{?:?([-_a-z]+|[A-Z]+):\s*([^}]+?)\s*\}?$")
"""A note line of Zotero's cheater syntax: ``original-date: 1900``, ``{:DOI: 10.1/x}``."""


def note_fields(item: dict[str, Any]) -> None:
    """Zotero's "cheater syntax": ``original-date: 1900``, ``editor: Doe || Jane`` lines in
    ``note`` set CSL variables Zotero has no field for, read as citeproc-js reads them: from
    the top, blank lines and a first line of other text passed over, up to the next line
    of other text. A variable the item has keeps its value and its line stays in the note;
    a line read is taken out (``type`` sets the type)."""
    note = item.get("note")
    if not isinstance(note, str) or ":" not in note:
        return
    lines = note.split("\n")
    names: dict[str, list[dict[str, str]]] = {}
    for number, line in enumerate(lines):
        match = _NOTE_LINE.match(line.strip())
        if not line.strip() or (not match and number == 0):
            continue
        if not match:
            break
        if _note_field(item, names, match[1], match[2]):
            lines[number] = ""
    item.update(names)
    item["note"] = "\n".join(lines).strip()
    if not item["note"]:
        del item["note"]


def _note_field(item: dict[str, Any], names: dict[str, list[dict[str, str]]], field: str,
                value: str) -> bool:
    """Set FIELD from a note line unless the item has it; whether the line was used."""
    if field == "type":
        item["type"] = value
    elif field in item:
        return False
    elif field in NAME_FIELDS:  # several lines: several names
        family, _, given = (part.strip() for part in value.partition("||"))
        names.setdefault(field, []).append(
            {"family": family, "given": given} if given else {"literal": family})
    else:
        item[field] = value
    return True


_ALIASES = (("title-short", "shortTitle"), ("container-title-short", "journalAbbreviation"))
"""(the CSL name, the name Zotero's older exports write)."""


def _aliased(item: dict[str, Any]) -> None:
    """Zotero's ``shortTitle`` and ``journalAbbreviation`` under their CSL names. (Not
    ``event``/``event-title``: citeproc-js, the reference, reads each only as itself.)"""
    for new, old in _ALIASES:
        if old in item and new not in item:
            item[new] = item[old]


def _plain_names(item: dict[str, Any]) -> None:
    """Name keys citeproc-py has no use for and would warn about on every build:
    ``parse-names`` (particles are parsed anyway, ``csl.names``), ``static-ordering``,
    ``multi`` (``MULTILINGUAL``); a number in a name is its text. (``comma-suffix`` is
    read by ``csl.names``.)"""
    for field in NAME_FIELDS & item.keys():
        if isinstance(item[field], list):
            item[field] = [{key: str(value) if isinstance(value, int | float) else value
                            for key, value in name.items()
                            if key not in ("parse-names", "static-ordering",
                                           MULTILINGUAL)}
                           if isinstance(name, dict) else name for name in item[field]]


UNKNOWN_COMMANDS = "_unknown_latex"
"""The key of a BibTeX item (``bibtex`` sets it, ``_lint`` takes it off) listing LaTeX
commands no rule knows: they print nothing, an argument in braces as plain text."""


def _unknown_latex(item: dict[str, Any], pos: SourcePos) -> list[Diagnostic]:
    """A warning naming the LaTeX commands of a BibTeX item that print nothing."""
    unknown = item.pop(UNKNOWN_COMMANDS, [])
    return [Diagnostic(pos, f"reference '{item.get('id')}': LaTeX {', '.join(unknown)} "
                       "unknown — printed without it (an argument in braces as plain text); "
                       "write the text itself", "warning")] if unknown else []


def _lint(item: dict[str, Any], pos: SourcePos) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(errors, warnings) about one item; bad dates are dropped from it."""
    errors, warnings = [], _unknown_latex(item, pos)
    note_fields(item)  # first: a note can set the type, and dates to check
    kind = item.get("type")
    if not kind:  # rendered, as citeproc-js and pandoc render it, in CSL's generic type
        item["type"] = "document"
        warnings.append(Diagnostic(pos, f"reference '{item.get('id')}' has no type — it is "
                                   "set as a generic document; add a CSL type such as book, "
                                   "article-journal or webpage", "warning"))
    elif kind not in CSL_TYPES:
        errors.append(Diagnostic(pos, f"reference '{item.get('id')}' has unknown type "
                                 f"{kind!r} — use a CSL type such as book, article-journal or "
                                 "webpage"))
    errors += _shape_errors(item, pos)
    _plain_names(item)
    _aliased(item)
    for field in DATE_FIELDS:
        if field not in item:
            continue
        notes: list[str] = []
        date = bib_dates.normalise(item[field], notes)
        warnings += [Diagnostic(pos, f"reference '{item.get('id')}': {field} {note} — write "
                                "the month as 1–12, a season as 21–24", "warning")
                     for note in notes]
        if date is None:
            errors.append(Diagnostic(pos, f"reference '{item.get('id')}': malformed {field} "
                                     f"{item[field]!r} — write {{\"date-parts\": [[2024, 5, 1]]}}"
                                     ", \"2024-05-01\" or {\"literal\": \"Spring 2024\"}"))
        elif date:
            item[field] = date
        else:
            del item[field]  # an empty date: the reference has none ("n.d.")
    missing = [f for f in ("title", *NEEDED.get(str(kind), ())) if not item.get(f)]
    if missing:
        warnings.append(Diagnostic(pos, f"reference '{item.get('id')}' ({kind}) lacks "
                                   f"{', '.join(missing)} — readers need it to find the source",
                                   "warning"))
    return errors, warnings


def load(paths: list[Path]) -> References:
    """Read every bibliography file; raise ``CitationError`` with every error found."""
    items, errors, warnings = [], [], []
    positions: dict[str, SourcePos] = {}
    seen: dict[str, SourcePos] = {}  # ids are case-insensitive, as in citeproc
    for path in paths:
        for item in _read(path):
            pos = SourcePos(path, item.pop("_line", 1), item.pop("_col", 1))
            ident = str(item.get("id") or "")
            if not ident:
                errors.append(Diagnostic(pos, "reference without an id — give it one"))
                continue
            if ident.lower() in seen:
                errors.append(Diagnostic(pos, f"duplicate reference id '{ident}' — also at "
                                         f"{seen[ident.lower()]}; rename one"))
                continue
            seen[ident.lower()] = pos
            problems, notes = _lint(item, pos)
            errors += problems
            warnings += notes
            positions[ident] = pos
            items.append(item)
    if errors:
        raise CitationError(errors)
    return References(items, positions, warnings)


def unknown_languages(references: References, book_language: str,
                      has_own_terms: Callable[[Any], bool]) -> list[Diagnostic]:
    """A warning for each reference whose ``language`` cannot give it terms of its own
    (book.toml entry-language "own"; ``has_own_terms`` is the renderer's own test): it
    names no language, or one without CSL terms. Its entry and citations use the book's
    language."""
    problems = []
    for item in references.items:
        value = item.get("language")
        if not value or has_own_terms(value):
            continue
        fallback = f"it is set in the book's language ({book_language})"
        if isinstance(value, str) and intl.language_tag(value, book_language):
            why = f"CSL has no terms for — {fallback}"
        else:
            why = ("names no language kzpublish knows — write a BCP 47 tag such as \"en\" "
                   f"(now {fallback})")
        problems.append(Diagnostic(references.positions[str(item["id"])],
                                   f"reference '{item['id']}' has language {value!r}, which {why}",
                                   "warning"))
    return problems
