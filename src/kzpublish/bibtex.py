"""bibtexparser adapter: BibTeX/BibLaTeX entries → CSL-JSON items.

The only module that imports bibtexparser (v2). Its middlewares decode LaTeX
(``{\\"o}`` → ö, ``--`` → –) and split names into parts; this module maps
entry types and fields to CSL's, as Pandoc and Zotero do.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.model import DuplicateBlockKeyBlock

from . import bib_dates
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
    "title": "title", "shorttitle": "title-short", "subtitle": "subtitle",
    "publisher": "publisher", "address": "publisher-place", "location": "publisher-place",
    "volume": "volume", "edition": "edition", "series": "collection-title", "doi": "DOI",
    "isbn": "ISBN", "issn": "ISSN", "url": "URL", "note": "note", "abstract": "abstract",
    "school": "publisher", "institution": "publisher", "organization": "publisher",
    "chapter": "chapter-number", "eventtitle": "event-title", "venue": "event-place",
    "howpublished": "medium", "pagetotal": "number-of-pages", "volumes": "number-of-volumes",
}
_CONTAINERS = ("journaltitle", "journal", "booktitle", "maintitle")
_LANGUAGES = {"russian": "ru", "english": "en", "american": "en-US", "british": "en-GB",
              "german": "de", "ngerman": "de", "french": "fr", "ukrainian": "uk",
              "kazakh": "kk", "spanish": "es", "italian": "it", "polish": "pl"}


def _name(parts: Any) -> dict[str, str]:
    family = " ".join(parts.last)
    given = " ".join(parts.first)
    if not given and not parts.von:
        return {"literal": family} if " " in family else {"family": family}
    name = {"family": family, "given": given}
    if parts.von:
        name["non-dropping-particle"] = " ".join(parts.von)
    if parts.jr:
        name["suffix"] = " ".join(parts.jr)
    return name


def _issued(fields: dict[str, Any]) -> dict[str, Any] | None:
    if "date" in fields:
        return bib_dates.normalise(str(fields["date"])) or None
    if "year" not in fields:
        return None
    year = re.findall(r"\d{4}", str(fields["year"]))
    month = fields.get("month")
    if not year:
        return {"literal": str(fields["year"])}
    parts = [int(year[0])] + ([int(month)] if isinstance(month, int) else [])
    return {"date-parts": [parts]}


def to_csl(entry: Any) -> dict[str, Any]:
    """One bibtexparser entry as a CSL-JSON item."""
    fields = {key.lower(): field.value for key, field in entry.fields_dict.items()}
    item: dict[str, Any] = {"id": entry.key,
                            "type": TYPES.get(entry.entry_type.lower(), "document")}
    for role in ("author", "editor", "translator"):
        if isinstance(fields.get(role), list):
            item[role] = [_name(parts) for parts in fields[role]]
    for key, csl_key in _TEXT_FIELDS.items():
        if key in fields and csl_key not in item:
            item[csl_key] = str(fields[key])
    container = next((fields[k] for k in _CONTAINERS if k in fields), None)
    if container:
        item["container-title"] = str(container)
    if "number" in fields:
        item["issue" if item["type"].startswith("article") else "number"] = str(fields["number"])
    if "pages" in fields:
        item["page"] = str(fields["pages"]).replace("–", "-")
    if issued := _issued(fields):
        item["issued"] = issued
    if "urldate" in fields and (accessed := bib_dates.normalise(str(fields["urldate"]))):
        item["accessed"] = accessed
    language = str(fields.get("langid") or fields.get("language") or "").lower()
    if language:
        item["language"] = _LANGUAGES.get(language, language)
    return item


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
    try:
        library = bibtexparser.parse_string(read_text(path, CitationError), append_middleware=[
            middlewares.LatexDecodingMiddleware(), middlewares.MonthIntMiddleware(True),
            middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()])
    finally:
        parser_log.setLevel(level)
    unreadable = [block for block in library.failed_blocks
                  if not isinstance(block, DuplicateBlockKeyBlock)]
    if unreadable:
        raise CitationError([_unreadable(path, unreadable[0])])
    items = [{**to_csl(entry), "_line": (entry.start_line or 0) + 1} for entry in library.entries]
    # A repeated key is the bibliography lint's to report, with where the first one is.
    items += [{"id": block.key, "_line": (block.start_line or 0) + 1}
              for block in library.failed_blocks if isinstance(block, DuplicateBlockKeyBlock)]
    return sorted(items, key=lambda item: item["_line"])
