"""citation-label (csl/labels.py): the data's label, else citeproc-js's trigraph, with its
year suffix when two cites read alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from citeproc.source.json import CiteProcJSON

from kzpublish import csl, intl
from kzpublish.csl import labels


def _reference(key: str, year: int | None, *families: str, **more: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"id": key, "type": "book",
                             "author": [{"family": family, "given": "A"} for family in families]}
    if year is not None:
        found["issued"] = {"date-parts": [[year]]}
    return {**found, **more}


def _labels(tmp_path: Path, references: list[dict[str, Any]]) -> list[str]:
    style = tmp_path / "label.csl"
    style.write_text("""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Labels</title><id>labels</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation disambiguate-add-year-suffix="true">
    <layout><text variable="citation-label"/>
      <date variable="issued" prefix=" "><date-part name="year"/></date></layout>
  </citation>
</style>
""", encoding="utf-8")
    engine = csl.Engine(style, "en", references, intl.sort_key("en"))
    engine.register([csl.ItemRequest(r["id"]) for r in references])
    engine.disambiguate()
    return [engine.render(csl.ItemRequest(r["id"])) for r in references]


@pytest.mark.parametrize(("families", "label"), [
    (("Asthma",), "Asth00"), (("Bronchitis", "Cholera"), "BrCh00"),
    (("Ab", "Cd", "Ef"), "AbCE00"), (("von Dipheria", "Eczema", "Flu", "Goiter", "Hay"), "DEFG00"),
    (("The Company",), "Comp00"),
])
def test_trigraph_takes_letters_of_each_name_by_their_number(
        families: tuple[str, ...], label: str) -> None:
    source = CiteProcJSON([_reference("x", 2000, *families)])
    assert labels.trigraph(source["x"]) == label


def test_label_from_the_title_and_no_year_without_authors() -> None:
    source = CiteProcJSON([{"id": "x", "type": "book", "title": "On the origin"}])
    assert labels.trigraph(source["x"]) == "Orig00"  # "on", "the" skipped


def test_labels_alike_get_year_suffixes_the_date_then_shows_none(tmp_path: Path) -> None:
    """citeproc-js appends the suffix to the label, and not to the date beside it."""
    cites = _labels(tmp_path, [_reference("a", 2000, "Asthma"), _reference("b", 2000, "Asthma"),
                                _reference("c", 2000, "Bronchitis"),
                                _reference("d", 1900, "Asthma", **{"citation-label": "Own"})])
    assert cites == ["Asth00a 2000", "Asth00b 2000", "Bron00 2000", "Own 1900"]
