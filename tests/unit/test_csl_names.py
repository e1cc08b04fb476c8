"""Names as CSL 1.0.2 and citeproc-js render them (kzpublish.csl.namelist, .names).

Expectations are citeproc-js's output for the same style and data (the CSL test suite's
name_*, magic_NameSuffix*, etal_* fixtures state them; tests/conformance runs those).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kzpublish import csl
from kzpublish.csl import namelist, names

DOE = {"family": "Doe", "given": "John"}
ROE = {"family": "Roe", "given": "Jane"}
POE = {"family": "Poe", "given": "Mark"}


def _engine(tmp_path: Path, citation: str, bibliography: str, references: list[dict[str, Any]],
            *, style: str = "", cite: str = "") -> csl.Engine:
    path = tmp_path / "style.csl"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0" {style}>
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation {cite}><layout>{citation}</layout></citation>
  <bibliography><layout>{bibliography}</layout></bibliography>
</style>""", encoding="utf-8")
    items = [{"id": f"r{index}", "type": "book", **reference}
             for index, reference in enumerate(references)]
    engine = csl.Engine(path, "en", items)
    engine.register([csl.ItemRequest(item["id"]) for item in items])
    return engine


def _cite(tmp_path: Path, name: str, *authors: dict[str, Any], variable: str = "author",
          style: str = "", cite: str = "", **more: Any) -> str:
    """The cite of one book by AUTHORS, its layout ``<names>`` holding NAME."""
    layout = f'<names variable="{variable}">{name}</names>'
    engine = _engine(tmp_path, layout, '<text value="x"/>', [{"author": list(authors), **more}],
                     style=style, cite=cite)
    return engine.render(csl.ItemRequest("r0"))


def _entry(tmp_path: Path, layout: str, *authors: dict[str, Any], cite: str = "") -> str:
    engine = _engine(tmp_path, '<text value="x"/>', layout, [{"author": list(authors)}],
                     cite=cite)
    [(_, entry)] = engine.entries(lambda value: value.encode())
    return entry


# --- initialising -------------------------------------------------------------------------

@pytest.mark.parametrize(("given", "mark", "expected"), [
    ("John M.E.", ". ", "J. M. E."),
    ("ME", " ", "M"),             # a name written in capitals: its initial
    ("ME.", " ", "ME"),           # written with a period: an abbreviation, kept
    ("Ph.M.E.", ".", "Ph.M.E."),
    ("Ph. M.E.", "", "PhME"),
    ("TSerendorjiin", ".", "Ts."),  # capitals after the first letter are kept
    ("Guo-ping", "", "G"),        # a lower-case part after a hyphen goes with its name
    ("Jean-Paul", ". ", "J.-P."),
    ("Jean de la", ". ", "J. de la"),
    ("<b>John</b> Quiggly", ". ", "<b>J.</b> Q."),
])
def test_initialize(given: str, mark: str, expected: str) -> None:
    assert namelist.initialize(given, mark) == expected


def test_initialize_without_hyphen() -> None:
    assert namelist.initialize("Jean-Paul", ". ", hyphen=False) == "J. P."


@pytest.mark.parametrize(("given", "mark", "expected"), [
    ("ME", " ", "ME"),
    ("M.E", " ", "M E"),
    ("John M.E.", "", "John ME"),
    ("Ph.M.E.", ". ", "Ph. M. E."),
    ("ME.", ".", "ME."),
    ("J. Robert", ".", "J. Robert"),
])
def test_initialize_false_normalises_initials_only(given: str, mark: str, expected: str) -> None:
    assert namelist.initialize(given, mark, normalize_only=True) == expected


def test_a_given_name_alone_is_not_initialised(tmp_path: Path) -> None:
    assert _cite(tmp_path, '<name initialize-with="."/>', {"given": "Banksy"}) == "Banksy"


# --- one name -----------------------------------------------------------------------------

@pytest.mark.parametrize(("author", "expected"), [
    ({"family": "Jones", "given": "John", "dropping-particle": "d'"}, "John d’Jones"),
    ({"family": "al-One", "given": "Alan"}, "Alan al-One"),
    ({"family": "Doe", "given": "Jeffrey", "suffix": "Jr.", "comma-suffix": True},
     "Jeffrey Doe, Jr."),
    ({"family": "Doe", "given": "John, III"}, "John Doe III"),
    ({"family": "Doe", "given": "John,! Jr."}, "John Doe, Jr."),
    ({"family": '"Van Dyke"', "given": "Dick"}, "Dick Van Dyke"),
])
def test_name_parts_in_display_order(tmp_path: Path, author: dict[str, Any],
                                     expected: str) -> None:
    assert _cite(tmp_path, "<name/>", author) == expected


def test_inverted_name_demotes_a_parsed_particle(tmp_path: Path) -> None:
    name = '<name name-as-sort-order="all"/>'
    assert _cite(tmp_path, name, {"family": "al-One", "given": "Alan"}) == "One, Alan al-"
    assert _cite(tmp_path, name, {"family": "d'Aubignac", "given": "François"}) \
        == "Aubignac, François d’"


def test_name_part_affixes_enclose_the_parts_printed_with_it(tmp_path: Path) -> None:
    name = ('<name><name-part name="family" prefix="(" suffix=")"/>'
            '<name-part name="given" prefix="[" suffix="]"/></name>')
    author = {"family": "Fontaine", "given": "Jean", "dropping-particle": "de",
              "non-dropping-particle": "La", "suffix": "III"}
    assert _cite(tmp_path, name, author) == "[Jean] (de La Fontaine III)"


def test_name_part_formatting_applies_to_its_own_parts(tmp_path: Path) -> None:
    name = '<name><name-part name="family" text-case="uppercase" font-weight="bold"/></name>'
    author = {"family": "Meer", "given": "Gerard", "dropping-particle": "van",
              "non-dropping-particle": "der"}
    assert _cite(tmp_path, name, author) == "Gerard van <b>DER</b> <b>MEER</b>"


def test_name_parts_parsed_from_data() -> None:
    parsed = names.parse_particles(names.typographic_apostrophes(
        {"family": "de' Frinkle", "given": "Bevis"}))
    assert (parsed["non-dropping-particle"], parsed["family"]) == ("de’ ", "Frinkle")
    assert names.parse_particles({"family": '"van Happel"', "given": "Eduard"}) \
        == {"family": "van Happel", "given": "Eduard"}
    assert names.parse_suffix({"family": "Doe", "given": "John,! Jr."}) \
        == {"family": "Doe", "given": "John", "suffix": "Jr.", "comma-suffix": True}


# --- the list -----------------------------------------------------------------------------

def test_delimiter_before_and_after_an_inverted_name(tmp_path: Path) -> None:
    name = ('<name name-as-sort-order="first" and="text" '
            'delimiter-precedes-last="after-inverted-name"/>')
    assert _cite(tmp_path, name, DOE, ROE) == "Doe, John, and Jane Roe"
    assert _cite(tmp_path, name, DOE, ROE, POE) == "Doe, John, Jane Roe and Mark Poe"


def test_delimiter_before_et_al_after_an_inverted_name(tmp_path: Path) -> None:
    name = ('<name name-as-sort-order="first" et-al-min="3" et-al-use-first="1" '
            'delimiter-precedes-et-al="after-inverted-name"/>')
    assert _cite(tmp_path, name, DOE, ROE, POE) == "Doe, John, et al."


def test_the_style_delimiter_goes_before_and(tmp_path: Path) -> None:
    name = '<name and="symbol" delimiter="; " delimiter-precedes-last="always"/>'
    assert _cite(tmp_path, name, DOE, ROE, POE) == "John Doe; Jane Roe; &amp; Mark Poe"


def test_literal_names_are_not_inverted(tmp_path: Path) -> None:
    name = ('<name name-as-sort-order="all" and="symbol" '
            'delimiter-precedes-last="after-inverted-name"/>')
    assert _cite(tmp_path, name, {"literal": "WHO"}, {"literal": "UN"}) == "WHO &amp; UN"


def test_et_al_use_first_zero_prints_no_names(tmp_path: Path) -> None:
    layout = ('<group delimiter=" // "><names variable="author">'
              '<name et-al-min="2" et-al-use-first="0"/></names>'
              '<names variable="author"><name et-al-min="2" et-al-use-first="1"/></names></group>')
    assert _entry(tmp_path, layout, DOE, ROE) == "John Doe et al."


def test_et_al_min_needs_et_al_use_first_where_it_applies(tmp_path: Path) -> None:
    layout = '<names variable="author"><name et-al-min="3"/></names>'
    assert _entry(tmp_path, layout, DOE, ROE, POE, cite='et-al-use-first="2"') \
        == "John Doe, Jane Roe, Mark Poe"


def test_count_adds_up_the_variables(tmp_path: Path) -> None:
    assert _cite(tmp_path, '<name form="count"/>', DOE, ROE, POE, variable="author editor",
                 editor=[DOE, ROE], cite='et-al-min="3" et-al-use-first="1"') == "3"


def test_et_al_subsequent_shortens_later_cites(tmp_path: Path) -> None:
    engine = _engine(tmp_path, '<names variable="author"><name/></names>', '<text value="x"/>',
                     [{"author": [DOE, ROE, POE]}],
                     cite='et-al-min="5" et-al-use-first="1" et-al-subsequent-min="3" '
                          'et-al-subsequent-use-first="1"')
    first = engine.render(csl.ItemRequest("r0"))
    assert (first, engine.render(csl.ItemRequest("r0"))) \
        == ("John Doe, Jane Roe, Mark Poe", "John Doe et al.")


def test_no_space_before_an_et_al_term_in_chinese(tmp_path: Path) -> None:
    name = '<name et-al-min="2" et-al-use-first="1"/><et-al term="and others"/>'
    locale = '<locale><terms><term name="and others">等</term></terms></locale>'
    path = tmp_path / "style.csl"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  {locale}
  <citation><layout><names variable="author">{name}</names></layout></citation>
</style>""", encoding="utf-8")
    engine = csl.Engine(path, "en", [{"id": "r0", "type": "book", "author": [DOE, ROE]}])
    engine.register([csl.ItemRequest("r0")])
    assert engine.render(csl.ItemRequest("r0")) == "John Doe等"


@pytest.mark.parametrize("variable", ["collection-editor", "reviewed-author"])
def test_hyphenated_name_variables_render(tmp_path: Path, variable: str) -> None:
    """citeproc-py keeps them as collection_editor…, and read reviewed-author as text."""
    layout = f'<names variable="{variable}"><name/></names>'
    engine = _engine(tmp_path, layout, '<text value="x"/>', [{variable: [DOE, ROE]}])
    assert engine.render(csl.ItemRequest("r0")) == "John Doe, Jane Roe"


def test_disambiguation_compares_cites_with_et_al_subsequent(tmp_path: Path) -> None:
    """citeproc-js compares cites as subsequent ones: "Doe et al. 2000" twice, so both get
    a year suffix though their first cites differ (disambiguate_BasedOnEtAlSubsequent)."""
    layout = ('<names variable="author"><name form="short"/></names>'
              '<date variable="issued" prefix=" "><date-part name="year"/></date>'
              '<text variable="year-suffix"/>')
    issued = {"issued": {"date-parts": [[2000]]}}
    engine = _engine(tmp_path, layout, '<text value="x"/>',
                     [{"author": [DOE, ROE, POE, DOE], **issued}, {"author": [DOE, POE], **issued}],
                     cite='disambiguate-add-year-suffix="true" et-al-min="3" et-al-use-first="3" '
                          'et-al-subsequent-min="1" et-al-subsequent-use-first="1"')
    engine.disambiguate()
    assert [engine.render(csl.ItemRequest(key)) for key in ("r0", "r1")] \
        == ["Doe, Roe, Poe, et al. 2000a", "Doe, Poe 2000b"]


def test_bibtex_and_others_reads_et_al_as_pandoc_prints_it(tmp_path: Path) -> None:
    """BibTeX's "Smith, John and others" is the name list [Smith, "others"] (pandoc's
    reading): "et al." follows the names before it, whatever the style's et-al-min."""
    others = {"literal": "others"}
    name = '<name delimiter=", " delimiter-precedes-et-al="contextual"/>'
    assert _cite(tmp_path, name, DOE, others) == "John Doe et al."
    assert _cite(tmp_path, name, DOE, ROE, others) == "John Doe, Jane Roe, et al."
    assert _cite(tmp_path, '<name form="count"/>', DOE, ROE, others) == "2"
    assert _cite(tmp_path, name, others) == "others"  # a lone literal is a name
