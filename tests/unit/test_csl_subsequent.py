"""subsequent-author-substitute (csl.subsequent): repeated names in a sorted reference
list print as the style's substitute, as citeproc-js prints them (the CSL test suite's
magic_SubsequentAuthorSubstitute*, name_SubsequentAuthorSubstituteSingleField pass too)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

from kzpublish import citations, reader
from tests.conformance.suite import fixtures, run
from tests.conftest import one_chapter_book


def _book(name: str, given: str, year: int, title: str, **more: Any) -> dict[str, Any]:
    return {"id": f"{name.lower()}{year}", "type": "book", "title": title,
            "publisher": "Press", "issued": {"date-parts": [[year]]},
            "author": [{"family": name, "given": given}], **more}


def _entries(tmp_path: Path, style: str, references: list[dict[str, Any]]) -> list[str]:
    config = one_chapter_book(tmp_path, "# A\n\nText.\n", csl=style, nocite=("*",))
    (config.manuscript / "refs.json").write_text(json.dumps(references), encoding="utf-8")
    book = citations.resolve(reader.read(config), config)
    page = lxml_html.fromstring(book.chapters[-1].html)
    return [" ".join(div.text_content().split())
            for div in page.xpath('//div[contains(@class, "csl-entry")]')]


def test_mla_prints_three_em_dashes_for_the_same_author(tmp_path: Path) -> None:
    entries = _entries(tmp_path, "modern-language-association", [
        _book("Doe", "John", 2001, "First Book"), _book("Doe", "John", 2003, "Second Book"),
        _book("Roe", "Jane", 2002, "Third Book")])
    assert entries[0].startswith("Doe, John. First Book")
    assert entries[1].startswith("———. Second Book")
    assert entries[2].startswith("Roe, Jane. Third Book")


def test_other_authors_after_a_substitute_print_in_full(tmp_path: Path) -> None:
    entries = _entries(tmp_path, "modern-language-association", [
        _book("Doe", "John", 2001, "A"), _book("Doe", "John", 2002, "B"),
        _book("Doe", "Jane", 2003, "C")])
    assert [entry.split(".")[0] for entry in entries] == ["Doe, Jane", "Doe, John", "———"]


def test_a_style_without_the_option_is_untouched_and_no_mark_leaks(tmp_path: Path) -> None:
    entries = _entries(tmp_path, "apa", [
        _book("Doe", "John", 2001, "A"), _book("Doe", "John", 2002, "B")])
    assert [entry[:4] for entry in entries] == ["Doe,", "Doe,"]
    assert not any(char in entry for entry in entries for char in "\ue000\ue001")


def test_a_period_ending_the_names_stays_after_the_substitute() -> None:
    fixture = next(f for f in fixtures() if f.name == "bugreports_ThesisUniversityAppearsTwice")
    assert run(fixture).status == "pass"  # "Davis, Jennifer J. “Men…": no "J.." either


def _names_style(tmp_path: Path, rule: str) -> str:
    """A style printing "Names. Title" whose bibliography substitutes "---" by RULE."""
    (tmp_path / "csl").mkdir(exist_ok=True)
    (tmp_path / "csl" / "names.csl").write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography subsequent-author-substitute="---" subsequent-author-substitute-rule="{rule}">
    <sort><key variable="title"/></sort>
    <layout delimiter=". "><group delimiter=". ">
      <names variable="author"><name name-as-sort-order="first" initialize-with=". "
        and="text" delimiter=", "/><substitute><text variable="title"/></substitute></names>
      <text variable="title"/></group></layout>
  </bibliography>
</style>""", encoding="utf-8")
    return "names"


def _authored(title: str, *people: tuple[str, str]) -> dict[str, Any]:
    return {"id": title.lower(), "type": "book", "title": title,
            "author": [{"family": family, "given": given} for family, given in people]}


_TEAMS = [_authored("A", ("Doe", "John"), ("Roe", "Jane")),
          _authored("B", ("Doe", "John"), ("Roe", "Jane")),
          _authored("C", ("Doe", "John"), ("Poe", "Mark")),
          _authored("D", ("Doe", "John"), ("Poe", "Mark"))]


def test_complete_each_substitutes_each_name_of_a_repeated_list(tmp_path: Path) -> None:
    entries = _entries(tmp_path, _names_style(tmp_path, "complete-each"), _TEAMS)
    assert entries == ["Doe, J. and J. Roe. A", "--- and ---. B",
                       "Doe, J. and M. Poe. C", "--- and ---. D"]


def test_partial_each_substitutes_names_up_to_the_first_that_differs(tmp_path: Path) -> None:
    entries = _entries(tmp_path, _names_style(tmp_path, "partial-each"), _TEAMS)
    assert entries == ["Doe, J. and J. Roe. A", "--- and ---. B",
                       "--- and M. Poe. C", "--- and ---. D"]


def test_partial_first_substitutes_the_first_name_only(tmp_path: Path) -> None:
    entries = _entries(tmp_path, _names_style(tmp_path, "partial-first"), _TEAMS)
    assert entries == ["Doe, J. and J. Roe. A", "--- and J. Roe. B",
                       "--- and M. Poe. C", "--- and M. Poe. D"]


def test_a_title_standing_in_for_the_names_counts_as_one_name(tmp_path: Path) -> None:
    entries = _entries(tmp_path, _names_style(tmp_path, "partial-each"),
                       [_authored("Same"), {**_authored("Same"), "id": "again"}])
    assert entries == ["Same", "---"]


def test_a_sort_key_keys_names_without_their_label(tmp_path: Path) -> None:
    (tmp_path / "csl").mkdir(exist_ok=True)
    (tmp_path / "csl" / "labelled.csl").write_text("""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="names"><names variable="author"><name name-as-sort-order="all"/>
    <label form="short" prefix=" "/><substitute><names variable="editor"/></substitute>
  </names></macro>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><sort><key macro="names"/></sort>
    <layout delimiter=". "><group delimiter=". "><text macro="names"/>
      <text variable="title"/></group></layout></bibliography>
</style>""", encoding="utf-8")
    edited = {"id": "edited", "type": "book", "title": "Edited",
              "editor": [{"family": "Doe", "given": "John"}]}
    written = {"id": "written", "type": "book", "title": "Written",
               "author": [{"family": "Doe", "given": "John Eamon"}]}
    entries = _entries(tmp_path, "labelled", [written, edited])
    assert entries == ["Doe, John ed. Edited", "Doe, John Eamon. Written"]
