"""Sort keys as citeproc-js renders them (csl.sortkeys, csl._comparable): names without
"and" or "et al.", the data's markup left out. Expectations are citeproc-js's output
(tools/oracle/render.js) for the same style and references."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpublish import csl, intl

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
