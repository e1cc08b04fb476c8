"""Fixtures of the CSL test suite a book does not follow, and why (issue 16).

``expected_failures.txt`` gives these reasons instead of the first difference
(``suite.write_expected_failures``): what the fixture asks is a word processor's (a
citation's note number given by the caller, a position forced by the test) or an old
locale's, not a rule a book's citations break. The rule a book does meet is named with
the test that holds it.
"""

from __future__ import annotations

_SEVERAL_IN_A_NOTE = (
    "kept: a note style's citations share a note (noteIndex), which a book writes as "
    "citations in an author's footnote; Pandoc sets those after the note's opening one in "
    "parentheses ('{example}'), where the fixture prints each bare. The rule ({rule}) holds "
    "there: {test}")

WHY: dict[str, str] = {
    "number_PlainHyphenOrEnDashAlwaysPlural": (
        "kept: two items share the id ITEM-4, which a book refuses at its line (a key citing "
        "either is ambiguous); with the duplicate left out it passes (test_csl_rendering.py::"
        "test_hyphens_and_plurals_of_the_suites_pages_with_their_duplicate_id_left_out)"),
    "magic_SubsequentAuthorSubstituteNotFooled": (
        "kept: expects the old en-US short term 'tran.'; the shipped locale has 'trans.' "
        "(the substitution it tests passes)"),
    "date_NegativeDateSort": (
        'not followed: expects the bc/ad terms of an older en-US locale ("100BC"); '
        'citeproc-js with the locale kzpublish ships prints "100 BC" as we do '
        '(date_NegativeDateSortViaMacro expects that too)'),
    "date_NegativeDateSortViaMacroOnYearMonthOnly": (
        'not followed: expects the bc/ad terms of an older en-US locale ("100BC"); '
        'citeproc-js with the locale kzpublish ships prints "100 BC" as we do'),
    "disambiguate_ByCiteIncremental2": (
        "not followed: has no citations, so citeproc-js's runner renders it with "
        "makeCitationCluster, which groups no cites; a book's citations are a document's "
        "(processCitationCluster, tools/oracle/render.js), whose grouped sort (an in-text "
        "style that collapses) breaks the tie of these two works' keys ('Baines', 2009) by "
        "the names they print, 'Baines, Lightfoot and Kay' first, as we do (test_csl_sortkeys"
        ".py::test_a_grouping_style_sorts_an_authors_cites_together); a book has no "
        "citation without that grouping for the runner to write"),
    "affix_CommaAfterQuote": (
        "kept: the prefix \"'quote', \" is the author's Markdown, and Pandoc (the spec for "
        "Markdown) reads its straight single quotes as single quotes, ‘quote’, where "
        "citeproc-js sets the locale's outer quotes, “Quote”; the comma after them stays as "
        "the author wrote it, as in "
        "citeproc-js (test_citation_assembly.py::test_the_authors_quotes_keep_their_punctuation)"),
    "punctuation_FullMontyQuotesIn": (
        "not followed (citeproc-js extension): citeproc-js moves '!' and '?' inside a closing "
        "quote too ('“exclamation!”'); CSL 1.0.2's punctuation-in-quote moves commas and "
        "periods only, and so does pandoc 2.17's citeproc ('“wow”!'); each comma and period "
        "of this fixture right after a quote moves as it expects"),
    "flipflop_NumericField": (
        "not followed: citeproc-js prints the markup of a numeric field's value as text "
        "('1&#60;sup&#62;er&#60;/sup&#62;') yet reads it in a field that holds no number; "
        "the fixture itself calls this inconsistent and the CSL rule undecided. A book sets "
        "the author's superscript ('1<sup>er</sup>')"),
    "name_HebrewAnd": (
        "not followed (citeproc-js quirk): the locale's \"and\" is \"ו\" and a punctuation "
        "space; citeproc-js writes it against the name before it and drops the spaces "
        "('תפוחו תפוז'; with the he-IL locale kzpublish ships, \"ו\" alone, it runs both "
        "names together: 'תפוחותפוז'), we print 'תפוח ו תפוז' as CSL's and-term rule says "
        "(Hebrew attaches ו to the word after it, which neither does)"),
    "bugreports_DemoPageFullCiteCruftOnSubsequent": (
        "kept: the fixture forces position 'subsequent' on a first cite (citeproc-js's test "
        "hook \"position\": 1); a book's positions follow its text"),
    "bugreports_SortedIeeeItalicsFail": (
        "kept: expects the old en-US short month 'Jun.'; the CSL locale kzpublish ships has "
        "'June' (the style's suffix '. ' then follows it: 'June. 1965')"),
    "bugreports_EnvAndUrb": (
        "not followed (citeproc-js quirk): the two subsequent cites read alike ('See reference "
        "1'); citeproc-js first tries more names and given names, which change nothing while "
        "the names stand only in a disambiguate=\"true\" branch, then makes the first such "
        "branch hold and tests it with those tried names still expanded ('T. S. Baines, O. "
        "Benedettini and J. M. Kay' / '… F. Gump …': they differ, so it stops) but prints "
        "the cites with the names it kept ('Baines et al.'): two works read alike. CSL 1.0.2 "
        "prints a disambiguate=\"true\" branch where it tells otherwise identical cites "
        "apart; we test and print with the same names, so the title follows and parts them "
        "('See reference 1, Baines et al., ‘Title One’.')"),
    "position_IbidInText": (
        "kept: mixes citations in the text of a note style (noteIndex 0) with citations in "
        "notes, each with its own ibid chain; a book sets every citation of a note style "
        "in a note"),
    "position_IbidWithMultipleSoloCitesInBackref": _SEVERAL_IN_A_NOTE.format(
        example="Aalto (Álvarez)", rule="no ibid after a note of several cites",
        test="tests/unit/test_citation_assembly.py::"
             "test_citations_in_an_author_s_note_count_as_that_note"),
    "position_ResetNoteNumbers": _SEVERAL_IN_A_NOTE.format(
        example="Book A, n 1 (ibid)",
        rule="first-reference-note-number counts notes, not citations",
        test="tests/unit/test_citation_assembly.py::"
             "test_citations_in_an_author_s_note_count_as_that_note"),
}
