"""BibTeX/BibLaTeX → CSL-JSON as pandoc converts it (``pandoc FILE.bib -t csljson`` is the oracle).

tests/unit/data/pandoc_oracle.bib holds what real .bib files do: braced one-piece names
(``{Cousteau Jacques}``, a corporate name), accents, ``@string`` macros and ``#``
concatenation, month macros, ``---``/``--``/``~``, font commands, subtitles, BibLaTeX
dates, ranges, open ranges and years BC, ``crossref`` inheritance. Every field pandoc
writes is compared, except where kzpublish chooses otherwise on purpose (``_OURS``).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kzpublish import bibliography, bibtex, csl
from tests.pandoc_oracle import PANDOC

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "pandoc_oracle.bib"
_OURS = frozenset(("language", "type"))
"""Fields left out of the comparison: the language as the bare tag CSL locales are chosen
by ("de", pandoc "de-DE"); @misc as CSL's "document" (pandoc writes no type)."""
_PARTICLE_NAMES = ("goedel1931",)
"""Entries with a "von" part: pandoc 2 makes it a dropping particle, kzpublish (as Zotero
and Better BibTeX) a non-dropping one — "van der Waerden, B. L."; compared without it."""


@pytest.fixture(scope="module")
def converted() -> tuple[dict[str, Any], dict[str, Any]]:
    """(kzpublish's items as its citations stage gets them, pandoc's items) by id."""
    assert PANDOC, "pandoc is missing — `make tools` installs it (Debian package)"
    result = subprocess.run([PANDOC, str(SAMPLE), "-t", "csljson"], capture_output=True,
                            text=True, check=True, timeout=60)
    theirs = {item["id"]: item for item in json.loads(result.stdout)}
    ours = {item["id"]: item for item in bibliography.load([SAMPLE]).items}
    return ours, theirs


def _without_particles(names: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{k: v for k, v in name.items() if "particle" not in k} for name in names]


@pytest.mark.parametrize("key", ["cousteau1953", "who2001", "goedel1931", "range2019",
                                 "openrange", "bc", "bbt2020", "child", "proc", "chap",
                                 "coll", "th", "ms", "th2", "tr", "orig", "ev", "web", "mi",
                                 "ed", "ib", "others", "texsym"])
def test_entries_convert_as_pandoc_converts_them(converted: Any, key: str) -> None:
    ours, theirs = (side[key] for side in converted)
    fields = (set(ours) | set(theirs)) - _OURS
    if key in _PARTICLE_NAMES:
        ours, theirs = ({**side, "author": _without_particles(side["author"])}
                        for side in (ours, theirs))
    assert {f: ours.get(f) for f in fields} == {f: theirs.get(f) for f in fields}


def test_a_braced_name_is_one_literal_name(converted: Any) -> None:
    ours, _ = converted
    assert ours["cousteau1953"]["author"][0] == {"literal": "Cousteau Jacques"}
    assert ours["goedel1931"]["author"][1]["non-dropping-particle"] == "van der"


@pytest.mark.parametrize(("raw", "text"), [
    ('"Journal of " # jot', "Journal of Journal of Things"),
    ("mar", "March"),
    ("{A} # { b} # 2", "A b2"),
    ("undefined", "undefined"),
    ('{a "quoted" # part}', 'a "quoted" # part'),
])
def test_string_macros_and_concatenation(raw: str, text: str) -> None:
    assert bibtex.expand(raw, {"jot": "Journal of Things"}) == text


@pytest.mark.parametrize(("title", "expected"), [
    ("The Silent World: A Study of {NASA} and DNA", "The silent world: A study of {NASA} and DNA"),
    (r"\emph{Em Word} and \textsc{Small Caps}", r"\emph{em word} and \textsc{Small Caps}"),
    ("McDonald's iPhone Was Here", "McDonald's iPhone was here"),
])
def test_english_titles_in_sentence_case_as_pandoc(title: str, expected: str) -> None:
    assert bibtex.sentence_case(title) == expected


def test_the_entries_load_and_render() -> None:
    """The items pass the bibliography's checks and render (chicago-author-date): the braced
    name as written, the rich text as markup."""
    references = bibliography.load([SAMPLE])
    assert references.positions["who2001"].line == 16
    engine = csl.Engine(csl.find_style("chicago-author-date", DATA), "en", references.items)
    engine.register([csl.ItemRequest(str(item["id"])) for item in references.items])
    entries = dict(engine.entries(str.encode))
    assert entries["cousteau1953"].startswith("Cousteau Jacques, Jörg Müller, John Smith Jr.")
    assert "<i>Silent</i>" in entries["cousteau1953"]
    assert entries["range2019"].endswith("March–May.")


def test_math_in_a_title_is_text_not_tex(tmp_path: Path) -> None:
    """Pandoc keeps "\\alpha"; kzpublish prints what it means, as no TeX source may show."""
    path = tmp_path / "math.bib"
    path.write_text("@article{m, title = {Effects of $\\alpha$-Particles}, year = 2020}\n",
                    encoding="utf-8")
    assert bibtex.load(path)[0]["title"] == "Effects of α-particles"


@pytest.mark.parametrize(("latex", "text"), [
    (r"On \enquote{widgets}", 'On "widgets"'),
    (r"\mkbibquote{q} and \textquote[source]{r}", '"q" and "r"'),
    (r"\textit{\enquote{a}}", '<i>"a"</i>'),
])
def test_quoting_commands_are_quotes_the_entry_sets_in_its_language(latex: str,
                                                                    text: str) -> None:
    """csquotes' and BibLaTeX's quotes were dropped with their marks ("On Widgets");
    pandoc writes “…”, kzpublish straight quotes the citation layer sets as the
    entry's language quotes, as it sets an author's straight quotes in CSL-JSON."""
    assert bibtex.to_csl("k", "book", {"title": latex})["title"] == text


def test_an_unknown_latex_command_is_a_warning_at_its_entry(tmp_path: Path) -> None:
    """``{\\noopsort{a}}Zed`` printed "aZed" and ``\\foo`` nothing, silently."""
    path = tmp_path / "refs.bib"
    path.write_text("@book{known, title = {The {\\TeX}book, \\S 3}, year = 2000}\n\n"
                    "@book{odd, author = {{\\noopsort{a}}Zed, Alan}, title = {A \\foo{} b \\baz},"
                    " url = {https://x.org/\\y}, year = 2000}\n", encoding="utf-8")
    warnings = [str(w) for w in bibliography.load([path]).warnings]
    assert warnings == [f"{path}:3:1: warning: reference 'odd': LaTeX \\baz, \\foo, \\noopsort "
                        "unknown — printed without it (an argument in braces as plain text); "
                        "write the text itself"]
