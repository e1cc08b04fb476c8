"""Sort keys as citeproc-js renders them (csl.sortkeys, csl._comparable): names without
"and" or "et al.", the data's markup left out. Expectations are citeproc-js's output
(tools/oracle/render.js) for the same style and references."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpublish import csl, intl
from kzpublish.csl import sortkeys

STYLE = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="names"><names variable="author"><name and="text" delimiter=", "/></names></macro>
  <citation><sort>{keys}</sort>
    <layout delimiter="; "><text variable="{shown}"/></layout></citation>
</style>"""


def _person(family: str) -> dict[str, str]:
    return {"family": family, "given": family[0]}


COLARESI = [
    {"id": "two", "type": "book", "title": "Two",
     "author": [_person("Colaresi"), _person("Thompson")]},
    {"id": "three", "type": "book", "title": "Three",
     "author": [_person("Colaresi"), _person("Rasler"), _person("Thompson")]},
    {"id": "four", "type": "book", "title": "Four",
     "author": [_person("Colaresi"), _person("Rasler"), _person("Thompson"), _person("Abel")]},
    {"id": "one", "type": "book", "title": "One", "author": [_person("Colaresi")]},
]


def _ordered(tmp_path: Path, keys: str, shown: str, references: list[dict[str, object]]
             ) -> str:
    """One citation of every reference, in the order written, sorted by KEYS."""
    style = tmp_path / "sorted.csl"
    style.write_text(STYLE.format(keys=keys, shown=shown), encoding="utf-8")
    engine = csl.Engine(style, "en", references, intl.sort_key("en"))
    engine.register([csl.ItemRequest(str(item["id"])) for item in references])
    cited = [str(item["id"]) for item in references]
    return "; ".join(str(references[at][shown]) for at in engine.order(cited))


@pytest.mark.parametrize(("keys", "expected"), [
    # no "and": "Colaresi, Rasler, Thompson" before "Colaresi, Thompson" ("Colaresi and
    # Thompson" would come first)
    ('<key macro="names"/>', "One; Three; Four; Two"),
    # no "et al.": a list cut to its first name ties with that name alone, the title decides
    ('<key macro="names" names-min="3" names-use-first="1"/><key variable="title"/>',
     "Four; One; Three; Two"),
])
def test_names_in_a_key_have_no_and_nor_et_al(tmp_path: Path, keys: str, expected: str) -> None:
    assert _ordered(tmp_path, keys, "title", COLARESI) == expected


def test_a_title_key_leaves_its_markup_out(tmp_path: Path) -> None:
    """The two titles tie, so the second key (the author) orders them."""
    references = [
        {"id": "roe", "type": "book", "title": "A Full <i>Anonymous</i> Life", "note": "Roe",
         "author": [_person("Roe")]},
        {"id": "doe", "type": "book", "title": "A Full Anonymous Life", "note": "Doe",
         "author": [_person("Doe")]},
    ]
    assert _ordered(tmp_path, '<key variable="title"/><key macro="names"/>', "note",
                    references) == "Doe; Roe"


# --- a citation of a style that groups: one author's cites together -------------------------

GROUPING = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation {grouping}><sort><key variable="issued"/></sort>
    <layout prefix="(" suffix=")" delimiter="; "><group delimiter=" ">
      <names variable="author"><name form="short"/></names>
      <date variable="issued"><date-part name="year"/></date></group></layout></citation>
</style>"""
WORKS = [
    {"id": "s10", "type": "book", "title": "A", "issued": {"date-parts": [[2010]]},
     "author": [_person("Smith")]},
    {"id": "j05", "type": "book", "title": "B", "issued": {"date-parts": [[2005]]},
     "author": [_person("Jones")]},
    {"id": "s03", "type": "book", "title": "C", "issued": {"date-parts": [[2003]]},
     "author": [_person("Smith")]},
    {"id": "a03", "type": "book", "title": "D", "issued": {"date-parts": [[2003]]},
     "author": [_person("Adams")]},
    {"id": "nd", "type": "book", "title": "E", "author": [_person("Brown")]},
]


@pytest.mark.parametrize("grouping", ['collapse="year"', 'cite-group-delimiter=", "'])
@pytest.mark.parametrize(("cited", "expected"), [
    (["s10", "j05", "s03"], "s03 s10 j05"),
    # Adams and Smith tie on the first key: the author decides
    (["s10", "j05", "s03", "a03"], "a03 s03 s10 j05"),
    # a cite without the first key goes last
    (["nd", "s10", "j05"], "j05 s10 nd"),
])
def test_a_grouping_style_sorts_an_authors_cites_together(
        tmp_path: Path, grouping: str, cited: list[str], expected: str) -> None:
    """citeproc-js's grouped sort (processCitationCluster): "(Smith 2003, 2010; Jones
    2005)", not "(Smith 2003; Jones 2005; Smith 2010)"."""
    style = tmp_path / "grouping.csl"
    style.write_text(GROUPING.format(grouping=grouping), encoding="utf-8")
    engine = csl.Engine(style, "en", WORKS, intl.sort_key("en"))
    engine.register([csl.ItemRequest(str(item["id"])) for item in WORKS])
    engine.disambiguate()
    assert " ".join(cited[at] for at in engine.order(cited)) == expected


def test_a_grouping_style_without_collapse_in_a_note_style_sorts_by_its_keys(
        tmp_path: Path) -> None:
    """A note style's collapse groups no sort (citeproc-js: grouped_sort is in-text's)."""
    style = tmp_path / "grouping.csl"
    style.write_text(GROUPING.format(grouping='collapse="year"').replace(
        'class="in-text"', 'class="note"'), encoding="utf-8")
    engine = csl.Engine(style, "en", WORKS, intl.sort_key("en"))
    engine.register([csl.ItemRequest(str(item["id"])) for item in WORKS])
    cited = ["s10", "j05", "s03"]
    assert " ".join(cited[at] for at in engine.order(cited)) == "s03 j05 s10"


def test_a_descending_first_key_keeps_a_runs_order() -> None:
    """With issued descending citeproc-js prints "Smith 2003, 2010; Jones 2005" (it
    compares a run's key with each cite's place appended, as text, reversed); the run
    keeps the style's order here: newest first."""
    ordered = ["s10", "j05", "s03"]  # as the descending key sorts them
    names = ["Smith", "Jones", "Smith"]
    years = [2010, 2005, 2003]
    assert sortkeys.grouped(ordered, names, years, descending=True) == ["s10", "s03", "j05"]
    assert sortkeys.grouped(ordered[::-1], names[::-1], years[::-1], descending=False) == [
        "s03", "s10", "j05"]
