"""csl.silence: which elements render nothing for a reference, judged before rendering.

Each verdict is checked against what the element renders (through the closures, and
through the layered chain of mends, which never asks ``silence``); the whole-style
comparisons are in test_csl_structure_speed.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kzpublish import csl
from kzpublish.csl import silence, structure

BOOK = {"id": "book", "type": "book", "title": "A Book", "publisher": "Press",
        "issued": {"date-parts": [[2001]]}}
ARTICLE = {"id": "article", "type": "article-journal", "title": "An Article",
           "container-title": "Journal", "page": "3-9", "issued": {"date-parts": [[2002]]}}


def _engine(tmp_path: Path, layout: str, macros: str = "") -> csl.Engine:
    style = tmp_path / "silence.csl"
    style.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<style xmlns="http://purl.org/net/xbiblio/csl"'
        ' class="in-text" version="1.0"><info><title>Silence</title><id>silence</id>'
        f'<updated>2024-01-01T00:00:00+00:00</updated></info>{macros}'
        '<citation><layout><text value="cite"/></layout></citation>'
        f'<bibliography><layout>{layout}</layout></bibliography></style>', encoding="utf-8")
    engine = csl.Engine(style, "en", [BOOK, ARTICLE])
    engine.register([csl.ItemRequest("book"), csl.ItemRequest("article")])
    return engine


def _verdicts(engine: csl.Engine) -> dict[str, bool | None]:
    """The first layout element's verdict for each reference (after rendering the list,
    so that the closures exist)."""
    entries = dict(engine.entries(lambda text: text.encode()))
    element = next(iter(engine.style.root.bibliography.layout.iterchildren()))
    judge = silence.quiet(element)[0]
    assert judge is not None
    found = {item.key: judge(item) for item in engine.bibliography.items}
    for key, verdict in found.items():  # silent: an empty entry (one that may print may not)
        assert verdict is None or entries.get(key, "") == "", key
    return found


def test_a_group_with_a_term_and_a_missing_variable_is_silent(tmp_path: Path) -> None:
    engine = _engine(tmp_path, '<group delimiter=" "><text term="in"/>'
                               '<text variable="container-title"/></group>')
    assert _verdicts(engine) == {"book": True, "article": None}


def test_a_label_of_a_missing_variable_calls_none(tmp_path: Path) -> None:
    engine = _engine(tmp_path, '<group><label variable="page"/></group>')
    assert _verdicts(engine) == {"book": False, "article": None}


def test_a_branch_taken_by_type_decides(tmp_path: Path) -> None:
    engine = _engine(tmp_path, '<choose><if type="book"><text variable="container-title"/>'
                               '</if><else><text variable="page"/></else></choose>')
    assert _verdicts(engine) == {"book": True, "article": None}


def test_a_missing_variable_decides_a_test_of_all_whatever_the_position(tmp_path: Path) -> None:
    """match="all": the position is never asked when a variable test already failed."""
    engine = _engine(tmp_path, '<choose><if position="first" variable="page">'
                               '<text term="in"/></if></choose>')
    assert _verdicts(engine) == {"book": False, "article": None}


def test_a_missing_variable_decides_a_test_of_its_value(tmp_path: Path) -> None:
    """is-numeric of a variable the reference lacks is false, whatever the value would be."""
    engine = _engine(tmp_path, '<choose><if is-numeric="page" variable="page" match="any">'
                               '<text variable="page"/></if></choose>')
    assert _verdicts(engine) == {"book": False, "article": None}


def test_a_test_it_cannot_decide_may_print(tmp_path: Path) -> None:
    engine = _engine(tmp_path, '<choose><if position="first" variable="page" match="any">'
                               '<text term="in"/></if></choose>')
    assert _verdicts(engine) == {"book": None, "article": None}


def test_a_substitute_that_prints_makes_names_print(tmp_path: Path) -> None:
    engine = _engine(tmp_path, '<names variable="author"><substitute><text variable="title"/>'
                               '</substitute></names>')
    element = next(iter(engine.style.root.bibliography.layout.iterchildren()))
    engine.entries(lambda text: text.encode())
    judge = silence.quiet(element)[0]
    assert judge is not None
    assert [judge(item) for item in engine.bibliography.items] == [None, None]


def test_a_cite_number_cannot_be_judged_and_may_print(tmp_path: Path) -> None:
    engine = _engine(tmp_path, '<group><text variable="citation-number"/></group>')
    group = next(iter(engine.style.root.bibliography.layout.iterchildren()))
    assert silence.quiet(next(iter(group.iterchildren())))[0] is None
    assert _verdicts(engine) == {"book": None, "article": None}


def test_the_locator_is_the_cites(tmp_path: Path) -> None:
    """A locator is the cite's, not the reference's: its label and text print for a cite
    that has one, and the same reference cited without one gets nothing from them."""
    _engine(tmp_path, '<text variable="title"/>')
    style = tmp_path / "silence.csl"
    layout = '<group delimiter=" "><label variable="locator"/><text variable="locator"/></group>'
    style.write_text(style.read_text(encoding="utf-8").replace('<text value="cite"/>', layout),
                     encoding="utf-8")
    engine = csl.Engine(style, "en", [BOOK])
    engine.register([csl.ItemRequest("book")])
    engine.disambiguate()
    group = next(iter(engine.style.root.citation.layout.iterchildren()))
    located, plain = csl.ItemRequest("book", locator="12", label="page"), csl.ItemRequest("book")
    assert [engine.render(located), engine.render(plain)] == ["page 12", ""]
    judge = silence.quiet(group)[0]
    assert judge is not None
    assert [judge(_item(engine, located)), judge(_item(engine, plain))] == [None, True]


def _item(engine: csl.Engine, request: csl.ItemRequest) -> Any:
    """The cite item ``Engine.render`` renders for REQUEST."""
    citation = engine._citation(request)
    citation.bibliography = engine.bibliography
    return citation.cites[0]


def test_a_macro_silent_for_a_reference_is_not_walked(tmp_path: Path) -> None:
    """The point of it all. The macro prints a term for a chapter and the pages of what has
    them: a book gets nothing from it, which its shape alone (``structure.Shape``: a term
    prints whatever the reference holds) cannot tell, so it was walked for every book."""
    engine = _engine(tmp_path, '<text variable="title"/><text macro="pages"/>',
                     '<macro name="pages"><choose><if type="chapter"><text term="in"/></if>'
                     '<else-if variable="page"><text variable="page" prefix=", "/></else-if>'
                     '</choose></macro>')
    macro = engine.style.root.xpath("//cs:macro[@name='pages']",
                                    namespaces={"cs": "http://purl.org/net/xbiblio/csl"})[0]
    render_children = structure._children(macro)
    walked: list[str] = []

    def counted(item: Any, **kwargs: Any) -> Any:
        walked.append(item.key)
        return render_children(item, **kwargs)
    macro.__dict__["_kz__children"] = counted
    entries = dict(engine.entries(lambda text: text.encode()))
    assert entries == {"article": "An Article, 3–9", "book": "A Book"}
    assert walked == ["article"]
