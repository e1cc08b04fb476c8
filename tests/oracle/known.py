"""Differences from citeproc-js known today: one strict xfail per case, with its causes.

KNOWN_DIFFERENCES maps (style, "SET/KIND", index) to the reason its test is expected to
fail. SET is a fixture set (harness.LANGUAGES); KIND is citation (index: the citation's
number in the chapter, from 1), author (index: that of a note style's narrative
citation), entry (index: the reference id), order or footnotes (index 0). Test ids read
the same: test_citation[apa-en/citation-3].

Fix a cause and its cases pass — strict xfails then fail as XPASS, which forces their
removal here. ``python -m tests.oracle.triage --write`` regenerates the table from the
current output (review the diff: a case may still fail for a cause of its own).
CAUSES names each cause once, with where it lives (citeproc-py 0.11.1 or our adapter).
"""

from __future__ import annotations

CAUSES: dict[str, str] = {
    # kzpublish crashes on the whole book; every case of the fixture set fails the same way.
    "CRASH_EMPTY_ENTRY": (
        "crash: csl.Engine.entries zips bibliography.items with citeproc-py's entries, but "
        "citeproc-py drops entries that render empty (Chicago: dictionary entry without "
        "author, speech; APA: personal communication) → ValueError"),
    "CRASH_NAME_VARIABLE": (
        "crash: citeproc-py 0.11 knows only CSL 1.0.1 name variables; `director` (CSL 1.0.2) "
        "is parsed as a string and <names variable=\"director\"> raises AttributeError"),
    # Disambiguation: citeproc-py has none (model.py: "TODO self.get('disambiguate')").
    # Our adapter (src/kzpublish/csl.py, citations.py).
    "LAYOUT_SUFFIX_MERGE": (
        "layout suffix \".\" not merged with the item's final period (\"г..\"): "
        "citations._format_citation adds it after csl.merge_punctuation ran"),
    "NARRATIVE_NUMERIC": (
        "deliberate: a narrative cite in a numeric style reads \"Smith [5]\" as in Pandoc "
        "(csl.Engine._author_from_data); citeproc-js has no author-only form there "
        "(NO_PRINTED_FORM)"),
    "AUTHOR_ONLY_LABELS": (
        "deliberate: a note style's narrative author reads the names alone, as in Pandoc "
        "(\"Олег Викторович Сидоров и др.\"); citeproc-js's author-only render keeps the "
        "labels of the variables it leaves out (\", изд.\", \", вып.\", \", т.\")"),
    "AUTHOR_ONLY_FORMATTING": (
        "deliberate: a title standing in a note style's sentence for a missing author keeps "
        "its italics, as in Pandoc (<em>Утомлённые солнцем</em>); citeproc-js's author-only "
        "render drops them"),
    "SUPPRESS_AUTHOR_ONE_NAMES": (
        "deliberate: a note style's narrative note leaves out the first cs:names only (the "
        "author, or the title standing in for it), as Pandoc does: \"Directed by …\" stays; "
        "citeproc-js's suppress-author drops the director too"),
    "NOT_FOOTNOTES": (
        "note style: citations stay in the running text; they must become footnotes"),
    "SORT_KEY_QUOTES": (
        "bibliography sort keys keep quotes and affixes («Заглавие» sorts before letters); "
        "citeproc-js sorts on the plain text of the key"),
    # citeproc-py rendering.
    "PUNCTUATION_IN_QUOTE": (
        "en-US punctuation-in-quote not applied (”. instead of .”): citeproc-py ignores the "
        "locale option"),
    "INITIALIZE_FALSE": (
        "given names initialised despite initialize=\"false\" (Chicago): citeproc-py applies "
        "initialize-with and ignores cs:name's initialize attribute"),
    "LABEL_TEXT_CASE": (
        "text-case on cs:label inside cs:names ignored (eds. → Eds., trans. → Trans., "
        "ред. → Ред.)"),
    "CAPITALIZE_FIRST_MIXED": (
        "capitalize-first applied to a word with inner capitals (arXiv → ArXiv)"),
    "EMPTY_LABEL": (
        "cs:label printed without its variable (\"Edition\", \"издание\"): a label must render "
        "only when the variable is non-empty"),
    "PLURAL": (
        "label plural detection: \"US 5,123,456\" or \"00:42:10\" taken as several numbers "
        "(Nos., pp.); citeproc-js reads them as one"),
    "DISPLAY_LEFT_MARGIN": (
        "display=\"left-margin\"/\"right-inline\" ignored: the number runs into the entry "
        "(\"[1]J. Smith\")"),
    "UNEXPLAINED": "differs from citeproc-js; no triage rule explains it yet (see triage.py)",
}


def _(*causes: str) -> str:
    return "; ".join(CAUSES[cause] for cause in causes)


KNOWN_DIFFERENCES: dict[tuple[str, str, object], str] = {
    ("chicago-notes-bibliography", "ru/author", 4): _("AUTHOR_ONLY_LABELS"),
    ("chicago-notes-bibliography", "ru/author", 5): _("AUTHOR_ONLY_LABELS"),
    ("chicago-notes-bibliography", "ru/author", 33): _("AUTHOR_ONLY_LABELS"),
    ("chicago-notes-bibliography", "director/citation", 2): _("SUPPRESS_AUTHOR_ONE_NAMES"),
    ("chicago-notes-bibliography", "director/author", 2): _("AUTHOR_ONLY_FORMATTING"),
    ("ieee", "en/citation", 4): _("NARRATIVE_NUMERIC"),
    ("ieee", "en/citation", 5): _("NARRATIVE_NUMERIC"),
    ("ieee", "en/citation", 24): _("NARRATIVE_NUMERIC"),
    ("ieee", "en/citation", 32): _("NARRATIVE_NUMERIC"),
    ("ieee", "en/citation", 35): _("NARRATIVE_NUMERIC"),
    ("ieee", "ru/citation", 4): _("NARRATIVE_NUMERIC"),
    ("ieee", "ru/citation", 5): _("NARRATIVE_NUMERIC"),
    ("ieee", "ru/citation", 23): _("NARRATIVE_NUMERIC"),
    ("ieee", "ru/citation", 33): _("NARRATIVE_NUMERIC"),
    ("ieee", "director/citation", 2): _("NARRATIVE_NUMERIC"),
}
