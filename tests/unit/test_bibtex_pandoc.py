"""BibTeX/BibLaTeX → CSL-JSON as pandoc converts it (``pandoc FILE.bib -t csljson`` is the oracle).

tests/unit/data/pandoc_oracle.bib holds what real .bib files do: braced one-piece names
(``{Cousteau Jacques}``, a corporate name), accents, ``@string`` macros and ``#``
concatenation, month macros, ``---``/``--``/``~``, font commands, subtitles, BibLaTeX
dates, ranges, open ranges and years BC, ``crossref`` inheritance. Every field pandoc
writes is compared, except where kzpublish chooses otherwise on purpose (``_OURS``).

tests/unit/data/particles.bib holds names with particles, braced and not. For those the
oracle is the reference list ``pandoc --citeproc`` prints from the .bib, not its
``-t csljson``: that writer parses particles out of a family name ("{van der Berg}" as
"van der" + "Berg") which pandoc's own citeproc prints and sorts as read.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kzpublish import bibliography, bibtex, csl, intl
from tests.citeproc_js import text
from tests.pandoc_oracle import PANDOC

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "pandoc_oracle.bib"
_OURS = frozenset(("language", "type"))
"""Fields left out of the comparison: the language as the bare tag CSL locales are chosen
by ("de", pandoc "de-DE"); @misc as CSL's "document" (pandoc writes no type)."""
PARTICLES = DATA / "particles.bib"


@pytest.fixture(scope="module")
def converted() -> tuple[dict[str, Any], dict[str, Any]]:
    """(kzpublish's items as its citations stage gets them, pandoc's items) by id."""
    assert PANDOC, "pandoc is missing — `make tools` installs it (Debian package)"
    result = subprocess.run([PANDOC, str(SAMPLE), "-t", "csljson"], capture_output=True,
                            text=True, check=True, timeout=60)
    theirs = {item["id"]: item for item in json.loads(result.stdout)}
    ours = {item["id"]: item for item in bibliography.load([SAMPLE]).items}
    return ours, theirs


@pytest.mark.parametrize("key", ["cousteau1953", "who2001", "goedel1931", "range2019",
                                 "openrange", "bc", "bbt2020", "child", "proc", "chap",
                                 "coll", "th", "ms", "th2", "tr", "orig", "ev", "web", "mi",
                                 "ed", "ib", "others", "texsym"])
def test_entries_convert_as_pandoc_converts_them(converted: Any, key: str) -> None:
    ours, theirs = (side[key] for side in converted)
    fields = (set(ours) | set(theirs)) - _OURS
    assert {f: ours.get(f) for f in fields} == {f: theirs.get(f) for f in fields}


def test_a_braced_name_is_one_literal_name(converted: Any) -> None:
    ours, _ = converted
    assert ours["cousteau1953"]["author"][0] == {"literal": "Cousteau Jacques"}
    assert ours["goedel1931"]["author"][1]["dropping-particle"] == "van der"


def _pandoc_entries(bib: Path, style: str) -> list[str]:
    """The reference list ``pandoc --citeproc`` prints for every entry of BIB, in order."""
    assert PANDOC, "pandoc is missing — `make tools` installs it (Debian package)"
    result = subprocess.run(
        [PANDOC, "-f", "markdown", "-t", "plain", "--wrap=none", "--citeproc",
         "--bibliography", str(bib), "--csl", str(csl.find_style(style, DATA))],
        input="---\nnocite: '@*'\n---\n", capture_output=True, text=True, check=True,
        timeout=60)
    return [" ".join(entry.split()) for entry in result.stdout.split("\n\n") if entry.strip()]


@pytest.mark.parametrize("style", ["chicago-author-date", "apa"])
def test_names_with_particles_print_and_sort_as_pandoc_reads_them(style: str) -> None:
    """The parts of a BibTeX name are final, as pandoc's citeproc takes them: "{van der
    Berg}, Anna" prints "van der Berg, Anna" and sorts under V in every style; "van der
    Berg, Anna" has a dropping particle ("Berg, Anna van der", under B) unless
    ``useprefix``; "De la Fontaine, Jean" is all family name, "d'Alembert" sorts under D.
    kzpublish made every von part a non-dropping particle, "De la" one too, and parsed
    "{van der Berg}" and "d'Alembert" again as CSL-JSON is parsed."""
    references, collation = bibliography.load([PARTICLES]), intl.sort_key("en")
    engine = csl.Engine(csl.find_style(style, DATA), "en", references.items, collation)
    engine.register([csl.ItemRequest(str(item["id"])) for item in references.items])
    ours = [text(html).replace("\u2019", "'") for _, html in engine.entries(collation)]
    assert ours == [entry.replace("\u2019", "'") for entry in _pandoc_entries(PARTICLES, style)]


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


def test_a_month_number_past_twelve_is_kept_as_pandoc_keeps_it(tmp_path: Path) -> None:
    """``month = 13`` is spring to pandoc and citeproc-js (CSL 21); it was dropped. A number
    no reading makes a season is the bibliography check's warning, as in CSL-JSON."""
    path = tmp_path / "months.bib"
    path.write_text("@article{s, title = {S}, journal = {Q}, year = 2000, month = 13}\n"
                    "@article{w, title = {W}, journal = {Q}, year = 2000, month = 19}\n",
                    encoding="utf-8")
    assert [item["issued"] for item in bibtex.load(path)] == [
        {"date-parts": [[2000, 13]]}, {"date-parts": [[2000, 19]]}]
    loaded = bibliography.load([path])
    assert loaded.items[0]["issued"] == {"date-parts": [[2000, 21]]}
    assert [str(w) for w in loaded.warnings] == [
        f"{path}:2:1: warning: reference 'w': issued month 19 read as a season (autumn), as "
        "citeproc-js reads it — write the month as 1–12, a season as 21–24"]


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


@pytest.mark.parametrize(("latex", "name"), [
    ("van der Berg, Anna", {"family": "Berg", "given": "Anna", "dropping-particle": "van der"}),
    ("Anna van der Berg", {"family": "Berg", "given": "Anna", "dropping-particle": "van der"}),
    ("{van der Berg}, Anna", {"family": '"van der Berg"', "given": "Anna"}),
    ("Anna {van der Berg}", {"family": '"van der Berg"', "given": "Anna"}),
    ("{van der Berg, Anna}", {"literal": "van der Berg, Anna"}),
    ("De la Fontaine, Jean", {"family": '"De la Fontaine"', "given": "Jean"}),
    ("von Foo bar Baz, A.", {"family": '"Foo bar Baz"', "given": "A.",
                             "dropping-particle": "von"}),
    ("Jean De la Fontaine", {"family": "Fontaine", "given": "Jean De",
                             "dropping-particle": "la"}),
    ("Ali \\\"{O}zt\\\"{u}rk Veli", {"family": "Veli", "given": "Ali Öztürk"}),
    ("Ali {\\\"O}zt{\\\"u}rk Veli", {"family": "Veli", "given": "Ali",
                                     "dropping-particle": "Öztürk"}),
    ("van der Berg, Jr, A.", {"family": "Berg", "given": "A.", "dropping-particle": "van der",
                              "suffix": "Jr"}),
    ("family=Berg, given=Anna, prefix={van der}, useprefix=true",
     {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"}),
    ("given=Anna, family={van der Berg}, suffix=Jr", {"family": '"van der Berg"',
                                                      "given": "Anna", "suffix": "Jr"}),
])
def test_names_split_as_pandoc_splits_them(latex: str, name: dict[str, str]) -> None:
    """BibLaTeX's rule, which pandoc follows: the von part is the lower-case words leading
    the "von Last" words (a braced group or a font command counts as capitalised, a
    braced accent is passed over); a family name with a lower-case word is quoted, so the
    citation layer prints and sorts it as read. BibLaTeX's extended format names its parts
    (it printed "family=Berg" as the family name)."""
    assert bibtex.to_csl("k", "book", {"author": latex})["author"] == [name]


def test_useprefix_makes_the_von_part_a_non_dropping_particle() -> None:
    item = bibtex.to_csl("k", "book", {"author": "van der Berg, Anna",
                                       "options": "maxnames=3, useprefix"})
    assert item["author"] == [{"family": "Berg", "given": "Anna",
                               "non-dropping-particle": "van der"}]
