"""CSL positions (ibid, subsequent) as the Engine reports them to note styles (OSCOLA)."""

from __future__ import annotations

from pathlib import Path

from kzpublish import csl

REPO = Path(__file__).resolve().parents[2]
BOOKS = [
    {"id": "a", "type": "book", "title": "Alpha", "issued": {"date-parts": [[2001]]},
     "author": [{"family": "Adams", "given": "Ann"}], "publisher": "Press"},
    {"id": "b", "type": "book", "title": "Beta", "issued": {"date-parts": [[2002]]},
     "author": [{"family": "Brown", "given": "Bob"}], "publisher": "Press"},
]


def _engine() -> csl.Engine:
    engine = csl.Engine(csl.find_style("oscola", REPO), "en", BOOKS)
    engine.register([csl.ItemRequest(book["id"]) for book in BOOKS])
    return engine


def _cite(engine: csl.Engine, *keys: str) -> list[str]:
    cluster = engine.cluster()
    return [engine.render(csl.ItemRequest(key), cluster) for key in keys]


def test_the_same_source_again_is_ibid() -> None:
    engine = _engine()
    _cite(engine, "b")
    assert _cite(engine, "b") == ["ibid"]


def test_after_a_citation_of_several_sources_it_is_not_ibid() -> None:
    """CSL 1.0.2: ibid needs the preceding citation to hold that one cite alone."""
    engine = _engine()
    _cite(engine, "a", "b")
    [subsequent] = _cite(engine, "b")
    assert subsequent.startswith("Brown") and "ibid" not in subsequent  # citeproc-js: Brown (n 1)


def test_an_authors_name_in_the_text_is_not_a_cite() -> None:
    engine = _engine()
    _cite(engine, "a")
    engine.render(csl.ItemRequest("b", names=csl.NamesMode.ONLY))
    assert _cite(engine, "a") == ["ibid"]
