"""CSL structure as citeproc-js renders it: cs:substitute, cs:group suppression, term
fallback (kzpublish.csl.variables and kzpublish.csl.rendering).

Each test renders a tiny inline style through ``csl.Engine`` and names the oracle cause
(tests/oracle/known.py) its mend removed; each fails on citeproc-py 0.11 unmended.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kzpublish import csl
from kzpublish.csl import rendering

REFERENCES = [
    {"id": "edited", "type": "book", "title": "Central Asia", "publisher": "CUP",
     "container-title": "Reference Works", "issued": {"date-parts": [[2015]]},
     "editor": [{"family": "Roe", "given": "Jane"}, {"family": "Poe", "given": "Mark"}]},
    {"id": "anonymous", "type": "map", "title": "Kazakhstan", "publisher": "Kartografiya",
     "issued": {"date-parts": [[2005]]}},
    {"id": "thesis", "type": "thesis", "title": "Small States", "genre": "PhD diss.",
     "version": "8.3", "issued": {"date-parts": [[2012]]},
     "author": [{"family": "Okafor", "given": "Chidi"}]},
]
TITLE = '<macro name="title"><text variable="title" font-style="italic"/></macro>'


def _engine(tmp_path: Path, citation: str, *, macros: str = "",
            language: str = "en") -> csl.Engine:
    path = tmp_path / "style.csl"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  {macros}
  <citation><layout>{citation}</layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>""", encoding="utf-8")
    engine = csl.Engine(path, language, REFERENCES)
    engine.register([csl.ItemRequest(ref["id"]) for ref in REFERENCES])
    return engine


def _cite(engine: csl.Engine, key: str) -> str:
    return engine.render(csl.ItemRequest(key))


# --- SUBSTITUTE -----------------------------------------------------------------------------

AUTHOR_OR_TITLE = """<group delimiter=". ">
  <names variable="author"><substitute><text macro="title"/></substitute></names>
  <text macro="title"/><text variable="publisher"/>
</group>"""


def test_a_title_substituted_through_a_macro_is_not_printed_again(tmp_path: Path) -> None:
    engine = _engine(tmp_path, AUTHOR_OR_TITLE, macros=TITLE)
    assert _cite(engine, "anonymous") == "<i>Kazakhstan</i>. Kartografiya"



def test_a_term_the_style_emptied_ends_the_substitute(tmp_path: Path) -> None:
    """A cs:text of a term is the substitution even when the style emptied the term: that
    is the style's way of printing nothing there (citeproc-js; the CSL test suite's
    substitute_SubstituteOnlyOnceTermEmpty), where CSL 1.0.2's words ("the first element
    to return a non-empty result") would look past it to the next child. A variable that
    prints nothing is still looked past."""
    _engine(tmp_path, """<group delimiter=" "><text variable="publisher"/>
      <names variable="author"><substitute><text variable="genre"/><text term="editor"/>
      <text variable="title"/></substitute></names></group>""")
    path = tmp_path / "style.csl"
    for term, expected in (("", "Kartografiya"), ("ed.", "Kartografiya ed.")):
        path.write_text(re.sub(r"(<locale>.*</locale>)?<citation>", (
            f'<locale><terms><term name="editor">{term}</term></terms></locale><citation>'),
            path.read_text("utf-8")), encoding="utf-8")
        engine = csl.Engine(path, "en", REFERENCES)
        engine.register([csl.ItemRequest("anonymous")])
        assert engine.render(csl.ItemRequest("anonymous")) == expected


def test_substituted_editors_are_not_printed_again(tmp_path: Path) -> None:
    engine = _engine(tmp_path, """<group delimiter=" ">
      <names variable="author"><substitute><names variable="editor"/></substitute></names>
      <text variable="title"/>
      <names variable="editor" prefix="(ed. " suffix=")"/>
    </group>""")
    assert _cite(engine, "edited") == "Jane Roe, Mark Poe Central Asia"


def test_a_variable_renders_once_inside_its_substitute(tmp_path: Path) -> None:
    engine = _engine(tmp_path, """<names variable="author"><substitute>
      <group delimiter=", "><text variable="container-title"/><text macro="source"/></group>
    </substitute></names>""",
        macros='<macro name="source"><group delimiter=" "><text value="in"/>'
               '<text variable="container-title"/><text variable="publisher"/></group></macro>')
    assert _cite(engine, "edited") == "Reference Works, in CUP"


@pytest.mark.parametrize("shorthand", [
    '<names variable="editor"/>',
    '<choose><if type="book"><names variable="editor"/></if></choose>',
])
def test_shorthand_names_in_a_substitute_take_the_parents_name_and_label(
        tmp_path: Path, shorthand: str) -> None:
    engine = _engine(tmp_path, f"""<names variable="author">
      <name form="short" and="text"/><label form="short" prefix=", "/>
      <substitute>{shorthand}</substitute>
    </names>""")
    assert _cite(engine, "edited") == "Roe and Poe, eds."


def test_substitution_is_undone_for_the_next_cite(tmp_path: Path) -> None:
    engine = _engine(tmp_path, AUTHOR_OR_TITLE, macros=TITLE)
    _cite(engine, "anonymous")
    assert _cite(engine, "thesis") == "Chidi Okafor. <i>Small States</i>"
    assert _cite(engine, "anonymous") == "<i>Kazakhstan</i>. Kartografiya"


# --- GROUP_SUPPRESSION ----------------------------------------------------------------------

@pytest.mark.parametrize(("group", "expected"), [
    # APA's identifier-number: a value chosen by type, then an empty variable
    ("""<group delimiter=" " prefix="(" suffix=")">
          <choose><if type="thesis"><text value="Publication"/></if>
                  <else-if variable="number"><text variable="genre"/></else-if></choose>
          <group><text variable="number"/></group>
        </group>""", ""),
    # a year-only date printing its month only is empty, as citeproc-js counts it
    ("""<group delimiter=" "><text value="released"/>
          <date variable="issued"><date-part name="month"/></date></group>""", ""),
])
def test_a_group_is_suppressed_by_what_its_variables_hold(tmp_path: Path, group: str,
                                                          expected: str) -> None:
    engine = _engine(tmp_path, f'<group delimiter=" "><text variable="title"/>{group}</group>')
    assert _cite(engine, "thesis") == " ".join(filter(None, ["Small States", expected]))


def test_a_printed_nested_group_counts_as_a_rendered_variable(tmp_path: Path) -> None:
    engine = _engine(tmp_path, """<group delimiter=" "><text variable="number"/>
      <group><text term="in"/></group></group>""")
    assert _cite(engine, "thesis") == "in"


def test_a_group_counts_what_cs_number_printed_of_the_cites_locator(tmp_path: Path) -> None:
    engine = _engine(tmp_path, """<group delimiter=" ">
      <label variable="locator" form="short"/><number variable="locator"/></group>""")
    assert engine.render(csl.ItemRequest("thesis", locator="12", label="line")) == "l. 12"


# --- TERM_FALLBACK --------------------------------------------------------------------------

def test_a_missing_short_term_falls_back_to_the_books_long_term(tmp_path: Path) -> None:
    engine = _engine(tmp_path, """<group delimiter=" ">
      <text term="version" form="short"/><text variable="version"/></group>""", language="ru")
    assert _cite(engine, "thesis") == "версия 8.3"


class _Locale:
    """A locale's terms by (name, form) and its xml:lang, as find_term sees one."""

    def __init__(self, lang: str | None, terms: dict[tuple[str, str | None], str]):
        self.lang, self.terms = lang, terms

    def get(self, attribute: str) -> str | None:
        return self.lang

    def lookup(self, name: str, form: str | None) -> str:
        try:
            return self.terms[(name, form)]
        except KeyError:
            raise IndexError(name) from None


def _find(locales: list[_Locale], form: str | None, fallback: bool = True) -> Any:
    return rendering.find_term(locales, form, lambda loc, f: loc.lookup("editor", f), fallback)


def test_find_term_tries_each_form_in_the_books_language_before_other_locales() -> None:
    in_style = _Locale("ru", {("editor", None): "редактор"})
    no_language = _Locale(None, {("editor", "symbol"): "§"})
    ru_file = _Locale("ru-RU", {("editor", "verb"): "под редакцией"})
    en_us = _Locale("en-US", {("editor", "short"): "ed.", ("editor", "verb-short"): "ed. by"})
    locales = [in_style, no_language, ru_file, en_us]
    assert _find(locales, "short") == "редактор"
    assert _find(locales, "symbol") == "§"
    assert _find(locales, "verb-short") == "под редакцией"
    assert _find([ru_file, en_us], "short") == "ed."
    assert _find([ru_file, en_us], "short", fallback=False) is None


@pytest.mark.parametrize(("form", "forms"), [
    ("verb-short", ("verb-short", "verb", None)),
    ("symbol", ("symbol", "short", None)),
    ("short", ("short", None)),
    ("long", (None,)),
    (None, (None,)),
])
def test_term_forms_follow_csl(form: str | None, forms: tuple[str | None, ...]) -> None:
    assert rendering.term_forms(form) == forms


# --- MACRO_AS_GROUP -------------------------------------------------------------------------

def test_a_macro_call_is_left_out_like_a_group(tmp_path: Path) -> None:
    """citeproc-js expands a macro as a group (``CSL.expandMacro``): a call that called a
    variable and printed none of them prints nothing, its terms neither (McGill's edition
    macro printed a bare "ed" for every book without an edition). citeproc-js's output."""
    engine = _engine(tmp_path, '<group delimiter=", "><text variable="title"/>'
                               '<text macro="version"/></group>',
                     macros='<macro name="version"><number variable="version"/>'
                            '<text term="edition" form="short" prefix=" "/></macro>')
    assert [_cite(engine, key) for key in ("edited", "thesis")] \
        == ["Central Asia", "Small States, 8.3 ed."]


def test_a_printed_macro_counts_as_a_rendered_variable(tmp_path: Path) -> None:
    """As a printed nested group does: the group around it is shown though its own
    variable is empty (citeproc-js's output)."""
    engine = _engine(tmp_path, '<group delimiter=" "><text variable="number"/>'
                               '<text macro="in"/></group>',
                     macros='<macro name="in"><text term="in"/></macro>')
    assert _cite(engine, "thesis") == "in"


# Term fallback was suspected for both (kzpublish issue 7): it was the macro. The locales
# have the terms ("contributor", "аноним"), and written straight into the layout, not in a
# macro, citeproc-js prints them too.

def test_a_term_beside_absent_names_in_a_macro_is_left_out(tmp_path: Path) -> None:
    """archaeonautica's contributor macro (a term, then the contributor's names) printed
    "Bakker P., contributor" for every entry without a contributor; citeproc-js prints
    the author alone. citeproc-js's output."""
    engine = _engine(tmp_path, '<names variable="author"><name/></names>'
                               '<text macro="contributor"/>',
                     macros='<macro name="contributor"><text term="contributor" prefix=", "'
                            ' suffix=" "/><names variable="contributor"><name/></names>'
                            "</macro>")
    assert _cite(engine, "thesis") == "Chidi Okafor"


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_term_substituted_for_absent_names_in_a_macro_is_left_out(
        tmp_path: Path, language: str) -> None:
    """ucl-university-college-harvard's author macro (author, substitute: editor, then the
    term "anonymous") printed "аноним 2001" in a Russian book for a work without author or
    editor; citeproc-js prints the year alone ("Kazakhstan" here). citeproc-js's output."""
    engine = _engine(tmp_path, '<group delimiter=" "><text macro="author"/>'
                               '<text variable="title"/></group>',
                     macros='<macro name="author"><names variable="author"><name/><substitute>'
                            '<names variable="editor"/><text term="anonymous"/></substitute>'
                            "</names></macro>", language=language)
    assert [_cite(engine, key) for key in ("anonymous", "edited")] \
        == ["Kazakhstan", "Jane Roe, Mark Poe Central Asia"]


def test_editors_who_translated_print_twice_when_the_style_empties_the_joint_term(
        tmp_path: Path) -> None:
    names = """<names variable="editor translator" delimiter=", ">
      <name/><label prefix=" (" suffix=")"/></names>"""
    same = [{"family": "Roe", "given": "Jane"}]
    for term, expected in (("", "Jane Roe (editor), Jane Roe (translator)"),
                           ("ed. and trans.", "Jane Roe (ed. and trans.)")):
        _engine(tmp_path, names)
        path = tmp_path / "style.csl"
        path.write_text(path.read_text("utf-8").replace("<citation>", (
            f'<locale><terms><term name="editortranslator">{term}</term></terms></locale>'
            "<citation>")), encoding="utf-8")
        engine = csl.Engine(path, "en", [{**REFERENCES[0], "editor": same, "translator": same}])
        engine.register([csl.ItemRequest("edited")])
        assert engine.render(csl.ItemRequest("edited")) == expected


def test_a_book_in_a_language_csl_lacks_takes_the_styles_own_terms(tmp_path: Path) -> None:
    _engine(tmp_path, """<group delimiter=" "><text term="in"/><text term="edition"/></group>""")
    path = tmp_path / "style.csl"
    path.write_text(path.read_text("utf-8").replace("<citation>", (
        '<locale xml:lang="eo"><terms><term name="in">en</term></terms></locale><citation>')),
        encoding="utf-8")
    engine = csl.Engine(path, "eo", REFERENCES)
    engine.register([csl.ItemRequest("thesis")])
    assert _cite(engine, "thesis") == "en edition"  # en-US fills the gaps


@pytest.mark.parametrize("variable", ["container-author", "reviewed-author"])
def test_a_hyphenated_name_variable_prints_with_its_label(tmp_path: Path, variable: str) -> None:
    _engine(tmp_path, f"""<names variable="{variable}"><label form="verb" suffix=" "/>
      <name/></names>""")
    engine = csl.Engine(tmp_path / "style.csl", "en", [
        {**REFERENCES[1], variable: [{"family": "Burtle", "given": "Beaver"}]}])
    engine.register([csl.ItemRequest("anonymous")])
    assert _cite(engine, "anonymous") == "by Beaver Burtle"
