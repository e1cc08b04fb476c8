"""The CSL processor test suite through kzpublish's citation layer (issue 16).

The fixtures in ``fixtures/`` are citation-style-language/test-suite's
``processor-tests/humans`` (see fixtures/README.md): each a style, CSL-JSON items, the
citations made of them and citeproc-js's expected output. Each fixture is rendered by the
code a build runs — a ``Book`` whose chapter holds one citation marker a paragraph (an
in-text style's citation the fixture puts in a note: in the author's footnote of that
number), through ``citations.resolve`` with the fixture's style and items — and what a
reader sees (text and emphasis, as tests/oracle compares) is compared with the expected
output.

Outcomes: ``pass``; ``fail`` (rendered, reads otherwise); ``rejected`` (kzpublish refused
the fixture's data or style with a KzError, or crashed). ``expected_failures.txt`` lists
every fixture that does not pass with its reason; ``test_conformance.py`` holds the suite
to it strictly (a listed fixture that passes must be struck off; an unlisted one that fails
is a regression).

``python -m tests.conformance.suite [NAME-PREFIX…]`` (``make conformance``) prints the
pass count by family and, with ``-v``, each failure with both readings.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from kzpublish import citation_notes, citations, footnote_rules, typography
from kzpublish.cite_syntax import split_locator
from kzpublish.config import Config
from kzpublish.errors import KzError, SourcePos
from kzpublish.model import Book, Chapter, Citation, CiteItem, Metadata
from kzpublish.reader import BIBLIOGRAPHY_MARKER, cite_marker
from tests.conformance import unfollowed
from tests.oracle.harness import _cite_number, _drop, reading

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
EXPECTED_FAILURES = HERE / "expected_failures.txt"

_SECTION = re.compile(r">>=+ *([A-Z0-9-]+) *=+>>\n?(.*?)\n?<<=+ *\1 *=+<<", re.S)
_CLUSTER_MARK = re.compile(r"^(?:\.\.|>>)\[\d+\] ")
_AFFIX_MARKUP = {"i": ("*", "*"), "b": ("**", "**"), "sc": ("[", "]{.smallcaps}"),
                 "sup": ("^", "^"), "sub": ("~", "~")}


@dataclass(frozen=True)
class Fixture:
    """One test of the suite, as its human-readable file states it."""

    name: str
    mode: str
    """"citation" or "bibliography"."""
    result: str
    """citeproc-js's output: a citation a line, or the bibliography's HTML."""
    style: str
    items: list[dict[str, Any]]
    clusters: list[list[dict[str, Any]]] | None
    """The citations, each a list of cite items; None: one citation of every item."""
    notes: tuple[int, ...] = ()
    """Each citation's noteIndex, when the fixture gives them: the word processor's note
    the citation stands in (0: in the text)."""

    @property
    def family(self) -> str:
        return self.name.split("_", 1)[0]


@dataclass
class Outcome:
    """How one fixture fared: ``status`` and, unless it passed, what differed."""

    status: str
    expected: list[Any] = field(default_factory=list)
    got: list[Any] = field(default_factory=list)
    error: str = ""


def load(path: Path) -> Fixture:
    """Parse a human-readable fixture file."""
    sections = {match[1]: match[2] for match in _SECTION.finditer(path.read_text("utf-8"))}
    return Fixture(name=path.stem, mode=sections["MODE"].strip(), result=sections["RESULT"],
                   style=sections["CSL"], items=_identified(json.loads(sections["INPUT"])),
                   clusters=_clusters(sections), notes=_note_indexes(sections))


def _identified(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items without an id get ITEM-1, ITEM-2… by position, as citeproc-js's runner gives."""
    return [item if "id" in item else {"id": f"ITEM-{index}", **item}
            for index, item in enumerate(items, start=1)]


def _clusters(sections: dict[str, str]) -> list[list[dict[str, Any]]] | None:
    if "CITATIONS" in sections:
        return _final_document(json.loads(sections["CITATIONS"]))
    if "CITATION-ITEMS" in sections:
        return list(json.loads(sections["CITATION-ITEMS"]))
    return None


def _final_document(calls: list[Any]) -> list[list[dict[str, Any]]]:
    """The citations a word processor's document holds after CALLS, in its order.

    Each call is citeproc-js's processCitationCluster(citation, before, after): the
    citation goes between the ids listed before and after it, replacing any earlier
    citation with its id. The expected result lists every citation of the end state.
    """
    return [citation["citationItems"] for citation in _final_citations(calls)]


def _final_citations(calls: list[Any]) -> list[dict[str, Any]]:
    citations: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for citation, before, after in calls:
        ident = citation["citationID"]
        citations[ident] = citation
        order = [pair[0] for pair in before] + [ident] + [pair[0] for pair in after]
    return [citations[ident] for ident in order]


def _note_indexes(sections: dict[str, str]) -> tuple[int, ...]:
    """Each final citation's noteIndex (0 where none is given)."""
    if "CITATIONS" not in sections:
        return ()
    return tuple(int(citation.get("properties", {}).get("noteIndex") or 0)
                 for citation in _final_citations(json.loads(sections["CITATIONS"])))


@cache
def fixtures() -> tuple[Fixture, ...]:
    """Every fixture, by name."""
    return tuple(load(path) for path in sorted(FIXTURES.glob("*.txt")))


# --- kzpublish's side -------------------------------------------------------------------------

def _language(style: str) -> str:
    """The style's default-locale, else en-US — the locale citeproc-js renders in."""
    root = etree.fromstring(style.encode("utf-8"))
    return root.get("default-locale") or "en-US"


def _markdown(affix: str) -> str:
    """A prefix or suffix in citeproc-js's markup, as an author writes it in Markdown."""
    for tag, (opening, closing) in _AFFIX_MARKUP.items():
        affix = affix.replace(f"<{tag}>", opening).replace(f"</{tag}>", closing)
    return affix


def _cite_item(item: dict[str, Any], path: Path) -> CiteItem:
    label, locator = _located(item)
    return CiteItem(key=str(item["id"]), pos=SourcePos(path, 1, 1),
                    prefix=_markdown(item.get("prefix", "")),
                    suffix=_markdown(item.get("suffix", "")),
                    locator=locator, label=label,
                    suppress_author=bool(item.get("suppress-author")))


def _located(item: dict[str, Any]) -> tuple[str, str]:
    """The cite item's locator label and locator, as a book's reader reads them.

    A locator given no label but "page" is what an author writes in braces,
    ``[@key, {vol. 1, fol. 186}]``: the reader takes a label it opens with ("vol.") as
    the locator's label, as citeproc-js reads a page locator that opens with one
    (locator_TrickyEntryForPlurals); any other locator reads as given."""
    label, locator = item.get("label", "page"), str(item.get("locator", ""))
    if label != "page" or not locator.strip():
        return label, locator
    read_label, read_locator, rest = split_locator(", {" + locator + "}")
    return (read_label, read_locator) if not rest else (label, locator)


def _book(fixture: Fixture, chapter: Path, listed: tuple[str, ...] = ()) -> Book:
    """One chapter: a paragraph a citation, then the reference list.

    Without citations of its own a fixture cites every item in one citation, in the
    order LISTED (citeproc-js's test runner cites its registry's list: the items in the
    bibliography's order), else as written."""
    clusters = fixture.clusters
    if clusters is None:
        order = {key: at for at, key in enumerate(listed)}
        written = sorted(fixture.items, key=lambda item: order.get(str(item["id"]), len(order)))
        clusters = [[{"id": item["id"]} for item in written]]
    found = tuple(Citation(number, tuple(_cite_item(item, chapter) for item in cluster),
                           narrative=any(item.get("author-only") for item in cluster))
                  for number, cluster in enumerate(clusters, start=1) if cluster)
    notes = dict(zip(range(1, len(clusters) + 1), fixture.notes, strict=False)) \
        if _class(fixture.style) == "in-text" else {}
    html = _text_and_notes(found, notes) + BIBLIOGRAPHY_MARKER
    return Book(meta=Metadata(title="Suite", authors=(), language=_language(fixture.style)),
                chapters=(Chapter(id="ch01", source=SourcePos(chapter), title="Suite",
                                  html=html, citations=found),))


def _text_and_notes(found: tuple[Citation, ...], notes: dict[int, int]) -> str:
    """A paragraph a citation; an in-text style's citation the word processor had in
    note N (its noteIndex) is written in the author's footnote N instead, called from a
    paragraph of its own, as a book writes ``^[See [@a]. Also [@b].]``."""
    body: list[str] = []
    bodies: dict[int, list[str]] = {}
    for citation in found:
        note = notes.get(citation.number, 0)
        if note <= 0:
            body.append(f"<p>{cite_marker(citation.number)}</p>\n")
            continue
        if note not in bodies:
            bodies[note] = []
            call = footnote_rules.call_html(f"fn-ch01-{note}", f"fnref-ch01-{note}", note)
            body.append(f"<p>Note{call}</p>\n")
        bodies[note].append(f"<p>{cite_marker(citation.number)}</p>\n")
    if not bodies:
        return "".join(body)
    section = "".join(
        footnote_rules.note_open(f"fn-ch01-{note}") + "".join(paragraphs) + "</aside>\n"
        for note, paragraphs in bodies.items())
    return ("".join(body) + footnote_rules.section_open("Notes") + section + "</section>\n")


def _class(style: str) -> str:
    return str(etree.fromstring(style.encode("utf-8")).get("class", ""))


def _config(fixture: Fixture, root: Path) -> Config:
    manuscript = root / "manuscript"
    manuscript.mkdir(parents=True, exist_ok=True)
    (manuscript / "refs.json").write_text(json.dumps(fixture.items), encoding="utf-8")
    (root / "style.csl").write_text(fixture.style, encoding="utf-8")
    return Config(project=root, file=manuscript / "book.toml", title="Suite", authors=(),
                  language=_language(fixture.style), chapters=(Path("ch.md"),),
                  bibliography=Path("refs.json"), csl=str(root / "style.csl"),
                  entry_language="book",
                  nocite=("*",) if fixture.mode == "bibliography" and not fixture.clusters
                  else ())


def render(fixture: Fixture, root: Path) -> tuple[list[str], list[str]]:
    """kzpublish's citations (in order) and entries (as listed), as HTML."""
    settings = _config(fixture, root)
    chapter = settings.manuscript / "ch.md"
    listed: tuple[str, ...] = ()
    if fixture.clusters is None and fixture.mode == "citation" and _sorts_bibliography(fixture):
        listed = citations.resolve(_book(fixture, chapter),
                                   replace(settings, nocite=("*",))).reference_ids
    resolved = typography.apply(
        citations.resolve(_book(fixture, chapter, listed), settings))
    document = lxml_html.fromstring(f"<div>{resolved.chapters[0].html}</div>")
    for backlinks in document.xpath('//*[contains(concat(" ", @class, " "), " ref-backlinks ")]'):
        _drop(backlinks)
    spans = document.xpath('//span[contains(concat(" ", @class, " "), " citation ")]')
    numbered = sorted((_cite_number(span, index), index, span)
                      for index, span in enumerate(spans, start=1))
    entries = document.xpath('//div[contains(concat(" ", @class, " "), " csl-entry ")]')
    return ([_html(span) for _, _, span in numbered], [_html(div) for div in entries])


def _sorts_bibliography(fixture: Fixture) -> bool:
    """Whether the fixture's style sorts its bibliography (its list is not in citing order)."""
    root = etree.fromstring(fixture.style.encode("utf-8"))
    return bool(root.xpath("/*/*[local-name()='bibliography']/*[local-name()='sort']"))


def _html(element: Any) -> str:
    return str(lxml_html.tostring(element, encoding="unicode", with_tail=False))


# --- citeproc-js's side -----------------------------------------------------------------------

def expected(fixture: Fixture) -> list[str]:
    """The expected citations (a line each) or entries, as HTML fragments. A note style's
    citation is a note of its own in a book, which starts with a capital as Pandoc writes
    it (``citation_notes.sentence_start``, a step after the processor)."""
    as_written = citation_notes.sentence_start if _class(fixture.style) == "note" else str
    if fixture.mode == "citation" and fixture.clusters is None:
        return [as_written(fixture.result)]  # one citation of every item
    if fixture.mode == "citation":
        return [as_written(_CLUSTER_MARK.sub("", line)) for line in fixture.result.split("\n")
                if line.strip()]
    if not fixture.result.strip():
        return []
    document = lxml_html.fragment_fromstring(fixture.result, create_parent="div")
    return [_html(div) for div in
            document.xpath('//div[contains(concat(" ", @class, " "), " csl-entry ")]')]


def run(fixture: Fixture) -> Outcome:
    """Render FIXTURE and compare what a reader sees with the expected output."""
    want = [reading(f"<span>{part}</span>") for part in expected(fixture)]
    with tempfile.TemporaryDirectory(prefix="csl-suite-") as folder:
        try:
            cites, entries = render(fixture, Path(folder))
        except KzError as error:  # the temporary folder's name is left out of the reason
            return Outcome("rejected", want,
                           error=str(error).splitlines()[0].replace(f"{folder}/", ""))
        except Exception as error:  # a crash is a finding, reported like a difference
            return Outcome("rejected", want, error=f"internal error: {error!r}")
    got = [reading(part) for part in (cites if fixture.mode == "citation" else entries)]
    return Outcome("pass" if got == want else "fail", want, got)


def expected_failures() -> dict[str, str]:
    """expected_failures.txt: fixture name → why it does not pass."""
    listed = {}
    for line in EXPECTED_FAILURES.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            listed[name] = reason.strip()
    return listed


def reason(outcome: Outcome) -> str:
    """Why a fixture does not pass, in a line: the refusal, or the first difference."""
    if outcome.status == "rejected":
        return "rejected: " + re.sub(r"^\S*?:\d+:\d+: error: ", "", outcome.error)
    pairs = itertools.zip_longest(outcome.expected, outcome.got)
    want, got = next((pair for pair in pairs if pair[0] != pair[1]), (None, None))
    return f"differs: want {_shown(want)} got {_shown(got)}"


def _shown(reading: Any) -> str:
    if reading is None:
        return "nothing"
    text, emphasis = reading
    shown = repr(text) + (f" {emphasis}" if emphasis else "")
    return shown if len(shown) <= 160 else shown[:157] + "..."


def write_expected_failures(outcomes: dict[str, Outcome]) -> None:
    """Rewrite expected_failures.txt from OUTCOMES (review the diff before committing)."""
    header = ("# CSL test-suite fixtures kzpublish does not pass, and why (tests/conformance)\n"
              "# Regenerate: python -m tests.conformance.suite --write-expected; review it\n")
    lines = [f"{name} {unfollowed.WHY.get(name) or reason(outcome)}"
             for name, outcome in sorted(outcomes.items()) if outcome.status != "pass"]
    EXPECTED_FAILURES.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")


def summary(outcomes: dict[str, Outcome]) -> str:
    """Pass counts by family, the worst first, and the total."""
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for name, outcome in outcomes.items():
        family = name.split("_", 1)[0]
        total[family] += 1
        passed[family] += outcome.status == "pass"
    lines = [f"{family:<16} {passed[family]:>4} / {total[family]:<4}"
             for family in sorted(total, key=lambda f: (passed[f] - total[f], f))]
    statuses = Counter(outcome.status for outcome in outcomes.values())
    lines.append(f"{'all':<16} {statuses['pass']:>4} / {len(outcomes):<4} "
                 f"({statuses['fail']} fail, {statuses['rejected']} rejected)")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    prefixes = [arg for arg in argv if not arg.startswith("-")]
    chosen = [f for f in fixtures() if not prefixes or f.name.startswith(tuple(prefixes))]
    outcomes = {fixture.name: run(fixture) for fixture in chosen}
    if verbose:
        for name, outcome in outcomes.items():
            if outcome.status != "pass":
                print(f"{name}: {outcome.status} {outcome.error}\n  want {outcome.expected}"
                      f"\n  got  {outcome.got}")
    if "--write-expected" in argv:
        write_expected_failures(outcomes)
    print(summary(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
