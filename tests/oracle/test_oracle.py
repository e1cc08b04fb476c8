"""kzpublish's citations against citeproc-js, the processor behind Zotero and Mendeley.

Given the same CSL file, locale and CSL-JSON, every citation and every reference-list
entry must read the same (see harness.py for what "read" means and how both sides are
rendered). One test per citation, per entry, per list order, per style and fixture set.

Differences known today are strict xfails listed in known.py, one entry per case with its
cause: fixing a cause turns its xfails into failures (XPASS strict) until the entries go.
"""

from __future__ import annotations

from typing import Any

import pytest

from . import harness
from .harness import LANGUAGES, STYLES, Oracle, reading
from .known import KNOWN_DIFFERENCES


def _case(style: str, kind: str, index: Any) -> Any:
    key = (style, kind, index)
    marks = []
    if key in KNOWN_DIFFERENCES:
        # raises=: only a difference (or kzpublish's known crash) is expected; a missing
        # node or a broken harness must fail, not hide behind the xfail.
        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[key],
                                       raises=pytest.fail.Exception))
    return pytest.param(style, kind.split("/")[0], index, marks=marks,
                        id=f"{style}-{kind}-{index}")


def _cases() -> dict[str, list[Any]]:
    cases: dict[str, list[Any]] = {"citation": [], "entry": [], "order": [], "footnotes": [],
                                   "author": []}
    for style in STYLES:
        for lang in LANGUAGES:
            count = len(harness.clusters(lang))
            cases["citation"] += [_case(style, f"{lang}/citation", n) for n in range(1, count + 1)]
            cases["entry"] += [_case(style, f"{lang}/entry", key)
                               for key in harness.cited_ids(lang)]
            cases["order"].append(_case(style, f"{lang}/order", 0))
            if harness.is_note_style(style):
                cases["footnotes"].append(_case(style, f"{lang}/footnotes", 0))
                cases["author"] += [_case(style, f"{lang}/author", n)
                                    for n, cluster in enumerate(harness.clusters(lang), start=1)
                                    if any(item.get("narrative") for item in cluster["items"])]
    return cases


CASES = _cases()


def _same(actual: Any, expected: Any, what: str) -> None:
    """Fail with both readings side by side. No traceback: hundreds of strict xfails
    would otherwise spend most of the run formatting tracebacks nobody reads."""
    if actual != expected:
        pytest.fail(f"{what}\n  citeproc-js: {expected!r}\n  kzpublish:   {actual!r}",
                    pytrace=False)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_markdown_gives_the_fixture_citations(lang: str, tmp_path: Any) -> None:
    """The chapter kzpublish reads says exactly what citeproc-js is given."""
    assert harness.parsed_clusters(lang, tmp_path) == [c["items"] for c in harness.clusters(lang)]


@pytest.mark.parametrize(("style", "lang", "number"), CASES["citation"])
def test_citation(oracle: Oracle, style: str, lang: str, number: int) -> None:
    expected = reading(oracle.citeproc_js(style, lang).citations[number - 1])
    actual = reading(oracle.kzpublish(style, lang).citations[number - 1])
    _same(actual, expected, harness.clusters(lang)[number - 1]["md"])


@pytest.mark.parametrize(("style", "lang", "key"), CASES["entry"])
def test_entry(oracle: Oracle, style: str, lang: str, key: str) -> None:
    """Entries are matched by reference id; an entry citeproc-js leaves out must be left out."""
    expected = reading(oracle.citeproc_js(style, lang).entries.get(key))
    actual = reading(oracle.kzpublish(style, lang).entries.get(key))
    _same(actual, expected, key)


@pytest.mark.parametrize(("style", "lang", "index"), CASES["order"])
def test_reference_list_order(oracle: Oracle, style: str, lang: str, index: int) -> None:
    _same(oracle.kzpublish(style, lang).order, oracle.citeproc_js(style, lang).order,
          "reference list order")


@pytest.mark.parametrize(("style", "lang", "index"), CASES["footnotes"])
def test_note_style_citations_are_footnotes(oracle: Oracle, style: str, lang: str,
                                            index: int) -> None:
    """In a note style every citation is a note (citeproc-js was given one note per
    citation); a narrative one leaves its author's name in the sentence."""
    ours = oracle.kzpublish(style, lang)
    in_text = [n for n, footnoted in enumerate(ours.footnoted, start=1) if not footnoted]
    _same(in_text, [], "citations left in the running text")


@pytest.mark.parametrize(("style", "lang", "number"), CASES["author"])
def test_narrative_author_in_text(oracle: Oracle, style: str, lang: str, number: int) -> None:
    """A note style's narrative citation leaves its author in the sentence as the cite prints
    the names where it stands ("Donald E. Knuth" at a first cite, "Knuth" after), as Pandoc
    does; citeproc-js renders them author-only at that position."""
    expected = reading(oracle.citeproc_js(style, lang).authors[number - 1])
    actual = reading(oracle.kzpublish(style, lang).authors[number - 1])
    _same(actual, expected, harness.clusters(lang)[number - 1]["md"])


def test_known_differences_name_real_cases() -> None:
    """Every entry of known.py names a case that exists (a typo would xfail nothing)."""
    existing = {param.id for params in CASES.values() for param in params}
    stale = [key for key in KNOWN_DIFFERENCES if "-".join(map(str, key)) not in existing]
    assert stale == []
