"""The oracle harness: the same book rendered by citeproc-js and by kzpublish.

citeproc-js (npm ``citeproc``, the processor behind Zotero and Mendeley) runs through
tools/oracle/render.js; kzpublish runs its real path: a Markdown chapter written in
Pandoc's citation syntax → ``reader.read`` → ``citations.resolve``. Both get the same
CSL file (``csl.find_style``), the same locale file (citeproc-py's, chosen by
``csl.locale_for``) and the same CSL-JSON.

Fixture sets (tests/oracle/fixtures/citations.json; references.json is shared):

* ``en`` — an English book (language "en", locale en-US) citing the English references;
* ``ru`` — a Russian book (language "ru", locale ru-RU) citing the Russian references
  and a few English ones, as Russian books do (the list must put А–Я before A–Z);
* ``omitted-en``, ``omitted-ru`` — references some styles print no entry for (personal
  communication, a speech, a dictionary entry without author), kept apart because
  kzpublish crashes on them today and a crash fails every case of its book;
* ``director`` — films with a ``director`` (a CSL 1.0.2 name variable), apart for the
  same reason.

Every book sets ``entry-language = "book"``: citeproc-js renders all items with one
locale, so only our "book" mode compares like with like (the "own" mode, which gives
the English references of the ``ru`` set English terms, is tested in
tests/unit/test_entry_language.py).

Every citation is its own paragraph, so for note styles citeproc-js gets one note per
citation (noteIndex 1, 2, 3 …) and computes ibid/subsequent positions from that.

What is compared is what a reader sees: the text of each citation and of each entry
(``text_content()``), whitespace collapsed (no-break spaces count as spaces), together
with its emphasis (italic, bold, small caps, super/subscript, and roman inside italics).
Our links (citations link to entries, entries back to citations, URLs wrapped) go.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from lxml import html as lxml_html

from kzpublish import citation_notes, csl, reader
from kzpublish import citations as kz_citations
from kzpublish.config import Config

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
RENDER_JS = REPO / "tools" / "oracle" / "render.js"
CITEPROC_JS = REPO / "tools" / "node_modules" / "citeproc" / "package.json"

STYLES = ("apa", "chicago-author-date", "chicago-notes-bibliography", "ieee",
          "gost-r-7-0-5-2008", "essay-author-date")
LANGUAGES = {"en": "en", "ru": "ru", "omitted-en": "en", "omitted-ru": "ru", "director": "en"}
"""Fixture set → the book's language (book.toml ``language``)."""


class ToolMissing(RuntimeError):
    """node or citeproc-js is not installed."""


@cache
def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def references() -> list[dict[str, Any]]:
    """tests/oracle/fixtures/references.json: the CSL-JSON every book shares."""
    return list(_fixture("references.json"))


def clusters(lang: str) -> list[dict[str, Any]]:
    """The citations of one fixture set: ``{"md": …, "items": [...]}`` in document order."""
    return list(_fixture("citations.json")[lang])


def cited_ids(lang: str) -> list[str]:
    """Ids the set cites, in the order of references.json."""
    cited = {item["id"] for cluster in clusters(lang) for item in cluster["items"]}
    return [ref["id"] for ref in references() if ref["id"] in cited]


def style_path(style: str) -> Path:
    """The CSL file kzpublish itself would load for book.toml ``csl = STYLE``."""
    return csl.find_style(style, REPO)


@cache
def is_note_style(style: str) -> bool:
    return etree.parse(str(style_path(style))).getroot().get("class") == "note"


def markdown(lang: str) -> str:
    """The chapter: one paragraph per citation, as an author would write it."""
    paragraphs = [f"Claim {number} {cluster['md']} is made here."
                  for number, cluster in enumerate(clusters(lang), start=1)]
    return "# Oracle\n\n" + "\n\n".join(paragraphs) + "\n"


def project(root: Path, lang: str, style: str) -> Config:
    """A temporary book project holding the chapter and the references."""
    manuscript = root / "manuscript"
    manuscript.mkdir(parents=True, exist_ok=True)
    (manuscript / "ch.md").write_text(markdown(lang), encoding="utf-8")
    shutil.copy(FIXTURES / "references.json", manuscript / "refs.json")
    (root / "csl").mkdir(exist_ok=True)  # a book reads no style outside its folder (confine)
    shutil.copy(style_path(style), root / "csl" / f"{style}.csl")
    return Config(project=root, file=manuscript / "book.toml", title="Oracle", authors=("A",),
                  language=LANGUAGES[lang], chapters=(Path("ch.md"),),
                  bibliography=Path("refs.json"), csl=f"csl/{style}.csl",
                  entry_language="book")


@dataclass(frozen=True)
class Rendering:
    """Citations in document order and entries keyed by reference id, as HTML."""

    citations: tuple[str, ...]
    entries: dict[str, str]
    order: tuple[str, ...]
    """Reference ids in the order the list prints them."""
    footnoted: tuple[bool, ...] = ()
    """For each citation: does it stand in a footnote? (kzpublish only)"""
    sorted_ids: tuple[tuple[str, ...], ...] = ()
    """For each citation: its items in the order printed (citeproc-js only)."""
    positions: tuple[tuple[int, ...], ...] = ()
    """For each citation: the CSL position of each item as given (citeproc-js only)."""
    authors: tuple[str | None, ...] = ()
    """For each citation: the author a narrative one leaves in a note style's sentence,
    as HTML (None: no such author)."""


# --- citeproc-js --------------------------------------------------------------------------

def _node() -> str:
    node = shutil.which("node")
    if not node:
        raise ToolMissing("node is missing: install Node.js 20 and run tools/ensure-npm")
    if not CITEPROC_JS.is_file():
        raise ToolMissing(f"citeproc-js is missing ({CITEPROC_JS}): run tools/ensure-npm")
    return node


def oracle_input(style: str, lang: str) -> dict[str, Any]:
    """What render.js reads: the style, the locale, the cited items, the citations."""
    wanted = set(cited_ids(lang))
    return {
        "style_xml": style_path(style).read_text(encoding="utf-8"),
        "lang": csl.locale_for(LANGUAGES[lang]),
        "locales_dir": str(csl.LOCALES),
        "items": [ref for ref in references() if ref["id"] in wanted],
        "citations": [cluster["items"] for cluster in clusters(lang)],
        "output_format": "html",
        # A narrative citation's author stands in the sentence; the rest is the citation in
        # an in-text style («Лемон (2018)»), the note in a note style (Pandoc's rule:
        # "Donald E. Knuth¹ says", note "The TeXbook (…), 12."; citations._as_notes).
        "narrative": "note" if is_note_style(style) else "composed",
    }


def _as_is(text: str) -> str:
    return text


def run_citeproc_js(style: str) -> dict[str, Rendering]:
    """citeproc-js's rendering of every fixture set in one style: one node process."""
    jobs = [oracle_input(style, lang) for lang in LANGUAGES]
    # A larger young generation: citeproc-js spends much of a style's set-up collecting garbage.
    command = [_node(), "--max-semi-space-size=64", str(RENDER_JS)]
    result = subprocess.run(command, input=json.dumps(jobs), capture_output=True, text=True,
                            timeout=300, check=False)
    if result.returncode:
        raise RuntimeError(f"render.js failed for {style}:\n{result.stderr}")
    # A note a citation makes starts a sentence: Pandoc capitalizes it after citeproc ran
    # (citation_notes.sentence_start); citeproc-js, given one note per citation, does not.
    as_written = citation_notes.sentence_start if is_note_style(style) else _as_is
    return {lang: Rendering(citations=tuple(map(as_written, data["citations"])),
                            entries={entry["id"]: entry["html"] for entry in data["bibliography"]},
                            order=tuple(entry["id"] for entry in data["bibliography"]),
                            sorted_ids=tuple(tuple(ids) for ids in data["sorted_ids"]),
                            authors=tuple(data["authors"]),
                            positions=tuple(tuple(p) for p in data["positions"]))
            for lang, data in zip(LANGUAGES, json.loads(result.stdout), strict=True)}


# --- kzpublish --------------------------------------------------------------------------

def _drop(element: Any) -> None:
    """Remove an element but keep its tail text."""
    parent = element.getparent()
    previous = element.getprevious()
    tail = element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _in_footnote(element: Any) -> bool:
    return any("footnote" in (parent.get("class") or "") for parent in element.iterancestors())


def run_kzpublish(style: str, lang: str, root: Path) -> Rendering:
    """kzpublish's rendering of one fixture set in one style, in a project under ROOT."""
    config = project(root / f"{style}-{lang}", lang, style)
    book = kz_citations.resolve(reader.read(config), config)
    document = lxml_html.fromstring(
        "<div>" + "".join(chapter.html for chapter in book.chapters) + "</div>")
    for backlinks in document.xpath('//*[contains(concat(" ", @class, " "), " ref-backlinks ")]'):
        _drop(backlinks)  # our way back from an entry to its citations
    spans = document.xpath('//span[contains(concat(" ", @class, " "), " citation ")]')
    divs = document.xpath('//div[contains(concat(" ", @class, " "), " csl-entry ")]')
    # Citations in reading order: by their number (id="cite-N") where they carry one,
    # since a note style may move them into footnotes; else in document order.
    numbered = [(_cite_number(span, index), span) for index, span in enumerate(spans, start=1)]
    numbered.sort(key=lambda pair: pair[0])
    order = tuple(book.reference_ids)
    authors = tuple(_author_in_text(document, number) for number, _ in numbered)
    return Rendering(
        citations=tuple(lxml_html.tostring(span, encoding="unicode", with_tail=False)
                        for _, span in numbered),
        entries={key: lxml_html.tostring(div, encoding="unicode", with_tail=False)
                 for key, div in zip(order, divs, strict=True)},
        order=order,
        footnoted=tuple(_in_footnote(span) for _, span in numbered),
        authors=authors)


def _author_in_text(document: Any, number: int) -> str | None:
    """The author's name a note style's narrative citation number NUMBER leaves in the
    sentence: the entry's link just before its note call (citation_notes.place)."""
    calls = document.xpath(f'//a[@role="doc-noteref"][substring(@href, string-length(@href)'
                           f' - {len(str(number)) + 1}) = "-c{number}"]')
    call = calls[0] if calls else None
    while call is not None and call.getprevious() is None and not call.getparent().text:
        call = call.getparent()  # <sup class="footnote-ref"><a …>1</a></sup>
    before = call.getprevious() if call is not None else None
    if before is None or before.tag != "a" or before.tail \
            or not (before.get("href") or "").startswith("#ref-"):
        return None
    return (before.text or "") + "".join(lxml_html.tostring(child, encoding="unicode")
                                         for child in before)


def _cite_number(span: Any, fallback: int) -> int:
    match = re.fullmatch(r"cite-(\d+)", span.get("id") or "")
    return int(match[1]) if match else fallback


def parsed_clusters(lang: str, root: Path) -> list[list[dict[str, Any]]]:
    """The chapter as kzpublish's reader parses it, in the fixtures' item shape."""
    config = project(root / f"parse-{lang}", lang, "apa")
    book = reader.read(config)
    result = []
    for citation in book.chapters[0].citations:
        items = []
        for index, item in enumerate(citation.items):
            shaped: dict[str, Any] = {"id": item.key}
            if item.prefix:
                shaped["prefix"] = item.prefix
            if item.locator:
                shaped["locator"] = item.locator
                shaped["label"] = item.label
            if item.suffix:
                shaped["suffix"] = item.suffix
            if item.suppress_author:
                shaped["suppress-author"] = True
            if citation.narrative and index == 0:
                shaped["narrative"] = True
            items.append(shaped)
        result.append(items)
    return result


# --- what a reader sees ---------------------------------------------------------------------

_SPACE = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
_EMPHASIS = {"i": "i", "em": "i", "b": "b", "strong": "b", "sup": "sup", "sub": "sub"}


def text(fragment: str) -> str:
    """The plain text of an HTML fragment, whitespace collapsed.

    Display blocks (IEEE's ``csl-left-margin`` number and ``csl-right-inline`` body) are
    parted by a space, as they are on the page.
    """
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for div in root.iter("div"):
        if div is not root and div.getprevious() is not None:
            div.text = " " + (div.text or "")
    return _SPACE.sub(" ", root.text_content()).strip()


def _kind(element: Any) -> str | None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _EMPHASIS:
        return _EMPHASIS[tag]
    style = (element.get("style") or "").replace(" ", "").lower()
    if "font-variant:small-caps" in style or "smallcaps" in (element.get("class") or "").split():
        return "sc"
    if "font-style:italic" in style:
        return "i"
    if "font-weight:bold" in style:
        return "b"
    if "vertical-align:sup" in style:
        return "sup"
    if "font-style:normal" in style:
        return "normal"
    return None


def emphasis(fragment: str) -> list[str]:
    """The emphasised runs of an HTML fragment in order: ``["i: Title", "sc: Name"]``.

    ``normal`` marks a run set upright inside emphasis (CSL's flip-flop: a title's own
    italics turn roman when the whole title is italic).
    """
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    runs = []
    for element in root.iter():
        kind = _kind(element)
        if kind:
            words = _SPACE.sub(" ", element.text_content()).strip()
            if words:
                runs.append(f"{kind}: {words}")
    return runs


def reading(fragment: str | None) -> tuple[str, list[str]] | None:
    """What a reader sees of a citation or entry: its text and its emphasis."""
    return None if fragment is None else (text(fragment), emphasis(fragment))


class Oracle:
    """Both renderings of every (style, fixture set), each made once per test session.

    The node processes (one per style, all fixture sets in it) start together in
    threads when the session starts; kzpublish renders in the main thread meanwhile.
    A rendering that raised keeps raising the same error for every test that needs it.
    """

    def __init__(self, root: Path):
        self.root = root
        self._pool = ThreadPoolExecutor(max_workers=len(STYLES))
        self._js: dict[str, Future[dict[str, Rendering]]] = {
            style: self._pool.submit(run_citeproc_js, style) for style in STYLES}
        self._ours: dict[tuple[str, str], Rendering | Exception] = {}

    def citeproc_js(self, style: str, lang: str) -> Rendering:
        return self._js[style].result()[lang]

    def kzpublish(self, style: str, lang: str) -> Rendering:
        key = (style, lang)
        if key not in self._ours:
            try:
                self._ours[key] = run_kzpublish(style, lang, self.root)
            except Exception as exc:  # a crash is a finding: every comparison shows it
                self._ours[key] = exc
        found = self._ours[key]
        if isinstance(found, Exception):  # reported without a traceback, like a difference
            pytest.fail(f"kzpublish failed on {style}/{lang}: {found!r}", pytrace=False)
        return found

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
