"""The citations transform: markers in, formatted citations and a reference list out.

One pass over the whole book (Pandoc's habit: citations are a transform of the
document, so writers never see keys). Every cite is registered before any is
rendered, so disambiguation sees the whole book; then each item is rendered on
its own and linked to its entry (``#ref-KEY``), keeping the order the author
wrote; the style's layout affixes and delimiter join the items again (the delimiter
giving way where the author's affixes punctuate), and its formatting is set around the
whole citation, as citeproc-js sets it.

An item set in its own language (book.toml ``entry-language = "own"``, see
``csl.locales``) is marked with that language — ``<span lang="en">`` around the
cite, ``lang="en"`` on its entry — so typography, hyphenation and screen readers
treat it as the language it is written in.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from . import bibliography, citation_notes, csl, intl, typography, unrenderable
from .config import Config, key_position
from .errors import CitationError, Diagnostic, KzError
from .model import Book, Chapter, Citation, CiteItem, Heading
from .own_ids import anchor, cite_anchor
from .reader import BIBLIOGRAPHY_MARKER, HEADING_CITE, render_inline

_MARKER = re.compile(r'<kz-cite n="(\d+)"></kz-cite>')
_TAG = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"(\D*)(\d+)(\D*)")
"""A numeric style's cite: its number and what the style prints around it ("[1]")."""
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]")
# A URL ends before a quote or an escaped character other than & ("&lt;https://…&gt;").
_URL = re.compile(r"(https?://(?:[^\s<&\"]|&amp;)+?)(?=[.,;:]?(?:\s|<|\"|&(?!amp;)|$))")




def load_references(config: Config) -> bibliography.References:
    """Every bibliography file of the book, read and checked."""
    return bibliography.load([config.manuscript / path for path in config.bibliographies])


def style_path(config: Config) -> Path:
    """The book's CSL file; an unknown name is an error at book.toml's ``csl`` line."""
    try:
        return csl.find_style(config.csl, config.project)
    except FileNotFoundError as exc:
        hint = csl.catalogue.did_you_mean(getattr(exc, "suggestions", [])) or (
            "name a style such as 'apa', or a .csl file relative to the project")
        raise CitationError.at(key_position(config.file, "csl"), f"{exc} — {hint}") from None


def renamed_style(config: Config) -> list[Diagnostic]:
    """A warning where book.toml's ``csl`` is a name the CSL styles repository retired
    (Zotero exports, older pandoc projects): the book is set in the style it became."""
    new = csl.renamed_style(config.csl, config.project)
    if new is None:
        return []
    return [Diagnostic(key_position(config.file, "csl"),
                       f"the CSL style '{config.csl}' has been renamed '{new}'; the book is "
                       f"set in '{new}' — write csl = \"{new}\" in book.toml", "warning")]


def open_engine(config: Config, references: bibliography.References) -> csl.Engine:
    """citeproc-py, loaded with the book's style, language and references."""
    return csl.Engine(style_path(config), config.language, references.items,
                      intl.sort_key(config.language), csl.EntryLanguage(config.entry_language))


def unknown_languages(config: Config, references: bibliography.References) -> list[Diagnostic]:
    """Warnings for references whose ``language`` cannot have its own terms (entry-language
    "own"): their entries fall back to the book's language."""
    if csl.EntryLanguage(config.entry_language) is csl.EntryLanguage.BOOK:
        return []
    return bibliography.unknown_languages(
        references, config.language,
        lambda value: csl.locales.own_locale(value, config.language) is not None)


def unknown_keys(book: Book, references: bibliography.References,
                 file: Path) -> list[Diagnostic]:
    """One error per cite of a key the bibliography lacks, with a guess at the intended key."""
    known = list(references.positions)
    lowered = {key.lower() for key in known}
    problems = []
    for item in _items(book):
        if item.key.lower() in lowered:
            continue
        guess = difflib.get_close_matches(item.key, known, n=1)
        hint = f" (did you mean '{guess[0]}'?)" if guess else ""
        problems.append(Diagnostic(
            item.pos,
            f"unknown citation key '{item.key}'{hint} — add it to {file.name} "
            "or fix the key"))
    return problems


def uncited(book: Book, references: bibliography.References,
            nocite: tuple[str, ...] = ()) -> list[Diagnostic]:
    """A warning for every reference neither cited nor in nocite (it would not be listed)."""
    if "*" in nocite:
        return []
    listed = {item.key.lower() for item in _items(book)} | {key.lower() for key in nocite}
    return [Diagnostic(pos, f"reference '{key}' is never cited — cite it, add it to nocite "
                       "or remove it", "warning")
            for key, pos in references.positions.items() if key.lower() not in listed]


def _nocite_keys(config: Config, references: bibliography.References) -> list[str]:
    """book.toml's nocite: these are listed without being cited ("*": all of them)."""
    return list(references.positions) if "*" in config.nocite else list(config.nocite)


def unknown_nocite(config: Config, references: bibliography.References) -> list[Diagnostic]:
    known = {key.lower() for key in references.positions}
    unknown = [key for key in config.nocite if key != "*" and key.lower() not in known]
    if not unknown:
        return []
    where = key_position(config.file, "nocite")
    return [Diagnostic(where, f"nocite names unknown reference '{key}' — "
                       f"add it to {config.bibliography.name} or remove it from nocite")
            for key in unknown]


def _items(book: Book) -> list[CiteItem]:
    return [item for chapter in book.chapters for citation in chapter.citations
            for item in citation.items]


def _requests(citation: Citation, author_in_text: bool = False
              ) -> list[tuple[CiteItem, csl.ItemRequest]]:
    """What to render for each item: without the author where it stands in the text.

    ``author_in_text``: the citation is narrative and its (first item's) author's name is
    in the sentence — «Лемон (2018)» in an in-text style, "Donald E. Knuth¹ says" in a note
    style, whose note then gives the rest ("The TeXbook (Addison-Wesley, 1984), 12."), as
    Pandoc splits an author-in-text cite into its AuthorOnly and SuppressAuthor halves.
    In an author's own note a narrative citation is cited in full.
    """
    pairs = []
    for index, item in enumerate(citation.items):
        suppress = item.suppress_author or (author_in_text and index == 0)
        names = csl.NamesMode.SUPPRESS if suppress else csl.NamesMode.NORMAL
        pairs.append((item, csl.ItemRequest(item.key, item.locator, item.label, names)))
    return pairs


def _format_citation(citation: Citation, engine: csl.Engine, form: str = "text",
                     scope: str = "", note: int | None = None, place: int | None = None
                     ) -> str:
    """A citation as HTML, each item linked to its entry.

    ``form``: "text" (in running text; narrative reads «Лемон (2018)»), "note" (a
    footnote of its own, in full), "in-note" (inside the author's footnote, in
    full but without the closing period, in parentheses unless narrative) or "opening"
    (opening the author's footnote, before the author's punctuation: as "note" without
    the closing period; see ``citation_notes``).
    ``scope`` prefixes entry anchors when every chapter has its own list; ``note`` is
    the number of the footnote the citation stands in (``first-reference-note-number``),
    ``place`` the note it counts as for "ibid" (``csl.notes.place``).
    """
    in_note = form != "text"
    keys = " ".join(item.key for item in citation.items)
    requests = _requests(citation, citation.narrative and form in ("text", "note"))
    # a narrative citation's first item is the one whose author the sentence names
    ordered = requests if citation.narrative else [
        requests[index] for index in engine.order([r.key for _, r in requests])]
    if engine.is_note_style:
        ordered = _opening(ordered, form in ("note", "opening"))
    cluster = engine.cluster(note, place)
    if citation.narrative and not in_note and len(ordered) == 1:
        body = _render_item(*ordered[0], engine, cluster, True, scope)
    else:
        body = _joined_body(citation, ordered, engine, cluster, form, scope)
    return (f'<span class="citation" id="{cite_anchor(citation.number)}" '
            f'data-cites="{html.escape(keys)}">{engine.punctuate(body)}</span>')


def _joined_body(citation: Citation, ordered: list[tuple[CiteItem, csl.ItemRequest]],
                 engine: csl.Engine, cluster: Any, form: str, scope: str) -> str:
    """The citation's cites joined (grouped, collapsed) inside the layout's affixes, in the
    ``form`` ``_format_citation`` says. A narrative one of several items in the text reads
    its first item's author, then the citation: "Knuth (1984, 3; see Lamport 1994)" for
    ``@knuth1984 [3; see @lamport1994]``, as in Pandoc."""
    layout = engine.layout
    first = ordered[0][0].key
    author = _author(engine, first, cluster) if citation.narrative and form == "text" else ""
    cites = [_group_cites(group, engine, cluster, scope)
             for group in _cite_groups(ordered, engine)]
    joined = _joined_groups(cites, layout)
    printed = bool(_TAG.sub("", joined).strip())
    if author:
        named = f'<a href="#{anchor(first, scope)}">{author}</a>'
        return (named + " " + layout.decorated(layout.prefix + joined + layout.suffix)
                if printed else named)
    if not printed:  # no affixes around nothing (citeproc-js); a narrative cite's note
        return ""    # of a note style is left empty, as Pandoc leaves it (not ". ")
    if form in ("in-note", "opening"):  # in the author's note, as Pandoc sets it
        body = layout.decorated(layout.prefix + joined)
        return body if citation.narrative or form == "opening" else f"({body})"
    return layout.decorated(layout.prefix + joined + layout.suffix)


def _opening(pairs: list[tuple[CiteItem, csl.ItemRequest]], opens_note: bool
             ) -> list[tuple[CiteItem, csl.ItemRequest]]:
    """A note style's cites marked where they open a sentence, so that a term they begin
    with is capitalised (``csl.capitals``): the first of a note of its own unless the author
    wrote a prefix ("Ibid."), and any after a prefix that ends a sentence ("This has been
    said. Ibid.")."""
    return [(item, replace(request, opens=True))
            if (opens_note and index == 0 and not item.prefix)
            or csl.capitals.ends_sentence(_markdown(item.prefix)) else (item, request)
            for index, (item, request) in enumerate(pairs)]


def _render_item(item: CiteItem, request: csl.ItemRequest, engine: csl.Engine, cluster: Any,
                 narrative: bool, scope: str) -> str:
    """One item linked to its entry; a narrative one reads «Лемон (2018)»."""
    layout = engine.layout
    lang = engine.language_of(item.key)
    author = _author(engine, item.key, cluster) if narrative else ""  # before its cite
    text = _affixed(item, _in_language(_printed(engine.render(request, cluster), request),
                                       lang), engine)
    link = f'<a href="#{anchor(item.key, scope)}">'
    if not narrative:
        return f"{link}{text}</a>"
    cite = layout.decorated(layout.prefix + text + layout.suffix)
    return f"{link}{author} {cite}</a>"


def _author(engine: csl.Engine, key: str, cluster: Any = None) -> str:
    """The names a cite of ``key`` prints, alone (narrative text, cite grouping), marked
    with the item's language when it is set in its own. ``cluster``: the citation a
    narrative cite is about to be made in — its author reads as that cite prints the
    names ("Knuth, Plass, & Lamport" at APA 6's first cite, "Knuth et al." after), as
    Pandoc renders its AuthorOnly half at the cite's position."""
    return _in_language(engine.names_alone(key, cluster), engine.language_of(key))


def _cite_groups(pairs: list[tuple[CiteItem, csl.ItemRequest]], engine: csl.Engine
                 ) -> list[list[tuple[CiteItem, csl.ItemRequest]]]:
    """CSL cite grouping: neighbouring cites whose names print alike form a group ("(Doe
    1999, 2005; Smith 2001)"), its later cites without the names when the style collapses.
    Only neighbours, after the style's sort, as citeproc-js groups (it leaves "(Doe 1999;
    Smith 2001; Doe 2005)" as written)."""
    layout = engine.layout
    if layout.group_delimiter is None or len(pairs) < 2:
        return [[pair] for pair in pairs]
    groups: list[list[tuple[CiteItem, csl.ItemRequest]]] = []
    previous = None
    for item, request in pairs:
        names = _TAG.sub("", _author(engine, request.key)) or None
        if groups and names is not None and names == previous:
            if layout.drops_names:
                request = replace(request, names=csl.NamesMode.SUPPRESS)
            groups[-1].append((item, request))
        else:
            groups.append([(item, request)])
        previous = names
    return groups


@dataclass(frozen=True)
class _Cite:
    """One cite as printed, and what collapsing ranges of cites needs to know of it.

    ``number``: the citation number or year suffix (as 1, 2 … for a, b …) the cite ends
    its run with, when it prints one collapsing may join to its neighbours ("1–3",
    "2000a–c"); None: the cite never joins a range. ``lead``: text stands before that
    number (the author's "see", the names and year of a group's first cite), so no range
    runs into it. ``tail``: what follows the number — "locator" (a number the next cite's
    may follow, "2000a: 5,b"), "suffix" (the author's) or "text" — so no range runs on from
    it; such a cite stands apart from the run before it too. ``located``: the author gave
    a locator (printed or not), which decides the delimiter after it (see ``_joints``).
    ``joint``: the delimiter before the cite where it does not follow on from its
    neighbour's number (set by ``_joints``).
    """

    html: str
    number: int | None = None
    lead: bool = False
    tail: str = ""
    located: bool = False
    joint: str = ""
    prefix: str = ""
    suffix: str = ""
    """The author's prefix and suffix, which may take the place of the delimiter before
    the cite (see ``_affix_joint``)."""


def _group_cites(group: list[tuple[CiteItem, csl.ItemRequest]], engine: csl.Engine,
                 cluster: Any, scope: str) -> list[_Cite]:
    """A group's cites rendered; with collapse="year-suffix", a cite of the same year as
    the one before it prints its year suffix only ("2000a, b")."""
    layout = engine.layout
    cites: list[_Cite] = []
    previous_year = None
    for item, request in group:
        year, suffix = engine.year_and_suffix(request.key)
        text = _in_language(_printed(engine.render(request, cluster), request),
                            engine.language_of(item.key))
        suffix_only = (layout.collapses_suffixes and bool(cites) and bool(suffix)
                       and year == previous_year and year + suffix in text)
        if suffix_only:
            text = text.replace(year + suffix, suffix, 1)
        cites.append(_cite(item, text, engine, scope, suffix if suffix_only else ""))
        previous_year = year if suffix_only or (year and year in text) else None  # "ibid."
    return cites


def _cite(item: CiteItem, text: str, engine: csl.Engine, scope: str, suffix_only: str
          ) -> _Cite:
    """A rendered cite, linked to its entry, with what collapsing needs (see ``_Cite``)."""
    html = f'<a href="#{anchor(item.key, scope)}">{_affixed(item, text, engine)}</a>'
    return replace(_collapsible(item, text, html, engine, suffix_only),
                   prefix=item.prefix, suffix=item.suffix)


def _collapsible(item: CiteItem, text: str, html: str, engine: csl.Engine, suffix_only: str
                 ) -> _Cite:
    """The cite with what collapsing needs to know of it (see ``_Cite``)."""
    plain = _TAG.sub("", text)
    authored_tail = "suffix" if item.suffix else ""
    located = bool(item.locator)
    if engine.layout.collapse == "citation-number":
        number = _NUMBER.fullmatch(plain)
        located_tail = authored_tail or _end_of_located(item, plain, "")
        if number is None:  # "3 p. 5": the locator is a number of its own
            return _Cite(html, None, True, located_tail if located else authored_tail, located)
        around = number[1] + number[3]
        printed_locator = bool(item.locator) and (item.locator in around or _DIGIT.search(around))
        if printed_locator:
            return _Cite(html, None, True, located_tail, located)
        return _Cite(html, int(number[2]), bool(item.prefix or item.suffix), authored_tail,
                     located)
    if engine.layout.collapses_suffixes:
        year, suffix = engine.year_and_suffix(item.key)
        if suffix and plain.endswith(suffix_only or year + suffix):
            lead = bool(item.prefix or item.suffix or not suffix_only
                        or not plain.startswith(suffix_only))
            return _Cite(html, _suffix_number(suffix), lead, authored_tail, located)
        if suffix_only or suffix:
            tail = authored_tail or _end_of_located(item, plain, suffix_only)
            return _Cite(html, None, True, tail, located)
    return _Cite(html, located=located)


def _end_of_located(item: CiteItem, plain: str, suffix_only: str) -> str:
    """How a cite whose number (year suffix, citation number) does not end it ends, as
    citeproc-js sees it: "locator" when its printed locator stays a number the next cite's
    number follows ("2000a: 5,b"), else "text" (then the next cite stands apart: "b: 5, c").

    citeproc-js keeps a locator of digits a number, but renders a cite that begins with a
    number and has no words in it as text: a suffix-only cite keeps its locator a number
    only when a word stands between the two ("b, p. 5") or the author's prefix before it.
    """
    if not (item.locator.isdigit() and plain.endswith(item.locator)):
        return "text"
    if not suffix_only or item.prefix:
        return "locator"
    between = plain[len(suffix_only):-len(item.locator)]
    return "locator" if _WORD.search(between) else "text"


def _suffix_number(letters: str) -> int:
    """a → 1 … z → 26, aa → 27 (the order disambiguation gives year suffixes)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("a") + 1
    return number


def _joined_groups(groups: list[list[_Cite]], layout: csl.Layout) -> str:
    """Cites of a group joined by the style's group delimiter, groups by its delimiter —
    or by ``after-collapse-delimiter`` where citeproc-js puts it (see ``_joints``).

    collapse="citation-number" makes the whole citation one run of numbers ("[1–3, 5]"),
    joined by the delimiter; collapse="year-suffix" runs the year suffixes of a group.
    A cite that prints nothing (a group's later cite without a date, its names dropped)
    has no delimiter either: "(Smith 325 AD, 2000)", not "2000, )" (citeproc-js).
    """
    ranged = layout.collapse in ("citation-number", "year-suffix-ranged")
    groups = [printed for printed in ([cite for cite in group if _TAG.sub("", cite.html).strip()]
                                      for group in groups) if printed]
    if layout.collapse == "citation-number":
        cites = [cite for group in _joints(groups, layout) for cite in group]
        return _runs_joined(cites, layout.delimiter, ranged, layout.range_delimiter)
    suffixes = layout.year_suffix_delimiter
    successor = layout.delimiter if suffixes is None else suffixes
    return "".join(_runs_joined(group, successor, ranged, layout.range_delimiter)
                   for group in _joints(groups, layout))


def _joints(groups: list[list[_Cite]], layout: csl.Layout) -> list[list[_Cite]]:
    """Each cite with the delimiter before it (the first cite's stays empty).

    A cite counts as collapsed where the style collapses and it drops the names the cite
    before printed; a numeric cite prints no names, so citeproc-js takes it as collapsed
    always and never as part of a group.
    """
    numeric = layout.collapse == "citation-number"
    joined: list[list[_Cite]] = []
    before: _Cite | None = None
    before_collapsed = False
    for group in groups:
        joined.append([])
        for index, cite in enumerate(group):
            collapsed = numeric or (index > 0 and bool(layout.collapse))
            joint = "" if before is None else _affix_joint(before, cite, _splice_delimiter(
                layout, before.located, before_collapsed, collapsed, index > 0 and not numeric))
            joined[-1].append(replace(cite, joint=joint))
            before, before_collapsed = cite, collapsed
    return joined


def _splice_delimiter(layout: csl.Layout, after_locator: bool, after_collapsed: bool,
                      collapsed: bool, grouped: bool) -> str:
    """The delimiter before a cite as citeproc-js's ``getSpliceDelimiter`` chooses it.

    A style with an ``after-collapse-delimiter`` puts it after a cite the author gave a
    locator, after a group's later cite (names dropped) and between cites neither of which
    is one (unless collapse="year-suffix"); the layout's delimiter elsewhere. A style
    without one joins a group's cites by its group delimiter, groups by the layout's.
    """
    after = layout.after_collapse_delimiter
    if after is None:
        return (layout.group_delimiter or layout.delimiter) if grouped else layout.delimiter
    if after_locator or (after_collapsed and not collapsed) or (
            not after_collapsed and not collapsed and layout.collapse != "year-suffix"):
        return after
    return layout.delimiter


_STOPS = (";", ".", ",")


def _affix_joint(before: _Cite, cite: _Cite, delimiter: str) -> str:
    """The delimiter between two cites where the author's affixes punctuate already, as
    citeproc-js joins them: none before a prefix that begins with a stop and follows no
    suffix ("Book A, cited in Book B", not "Book A; , cited in Book B"); after a suffix
    that ends with one, only the delimiter from its space on ("Doe 2000, and; Roe 2001"
    reads "Doe 2000, and Roe 2001")."""
    if before.suffix and before.suffix.endswith(_STOPS):
        space = delimiter.find(" ")
        return delimiter[space:] if space > -1 else ""
    if not before.suffix and cite.prefix.startswith(_STOPS):
        return ""
    return delimiter


# How citeproc-js marks each number of a run (CSL.NumericBlob's statuses).
_START, _SEEN, _SUCCESSOR, _SUCCESSOR_OF_SUCCESSOR, _END, _SUPPRESS = range(6)


def _runs_joined(cites: list[_Cite], successor: str, ranged: bool,
                 range_delimiter: str) -> str:
    """Cites joined as citeproc-js joins them: each by its ``joint``, but within a run of
    numbers (cites that print a bare number, nothing between them) ``successor`` before a
    number that follows its neighbour's (2000a,b), and with ``ranged`` three or more
    consecutive numbers as a range (1–3, a–c).

    A number that does not follow on is joined by its joint, all but the run's last such
    one ("2000a, c,e"), a quirk of citeproc-js kept so both read alike.
    """
    text, before = "", None
    for run in _runs(cites):
        follows_locator = before is not None and before.tail == "locator" \
            and not run[0].lead and run[0].number is not None
        text += (successor if follows_locator else run[0].joint) + run[0].html
        before = run[-1]
        statuses = _statuses([cite.number or 0 for cite in run], ranged)
        for cite, status in zip(run[1:], statuses[1:], strict=True):
            if status == _SUPPRESS:
                continue
            joint = {_END: range_delimiter, _SUCCESSOR: successor}.get(status, cite.joint)
            text += joint + cite.html
    return text


def _runs(cites: list[_Cite]) -> list[list[_Cite]]:
    """Cites in runs: a cite joins the run before it when both print a number and nothing
    stands between the two (no tail after the first, no lead before the second)."""
    runs: list[list[_Cite]] = []
    for cite in cites:
        if runs and cite.number is not None and not cite.lead and \
                runs[-1][-1].number is not None and not runs[-1][-1].tail:
            runs[-1].append(cite)
        else:
            runs.append([cite])
    return runs


def _statuses(numbers: list[int], ranged: bool) -> list[int]:
    """citeproc-js's ``checkNext`` then ``checkLast`` over one run of numbers: which
    follows its neighbour, which starts, ends or hides inside a range."""
    statuses = [_START] * len(numbers)
    for index in range(len(numbers) - 1):
        status, following = statuses[index], numbers[index + 1] == numbers[index] + 1
        if not following:
            if status == _SUCCESSOR_OF_SUCCESSOR:
                statuses[index] = _END
            statuses[index + 1] = _SEEN
        elif status in (_SUCCESSOR, _SUCCESSOR_OF_SUCCESSOR) and ranged:
            statuses[index], statuses[index + 1] = _SUPPRESS, _SUCCESSOR_OF_SUCCESSOR
        else:
            statuses[index + 1] = _SUCCESSOR
    if statuses[-1] == _SUCCESSOR_OF_SUCCESSOR:
        statuses[-1] = _END
    for index in range(len(numbers) - 1, 0, -1):  # the run's last join that is no successor
        if statuses[index] == _SEEN:
            statuses[index] = _SUCCESSOR
            break
    return statuses


def _printed(text: str, request: csl.ItemRequest) -> str:
    """A cite the style renders empty reads as citeproc-js prints it (``csl.NO_PRINTED_FORM``),
    not as nothing: the reader sees a source is missing, the author is warned
    (``_no_printed_form``). A cite without its names may be empty by right (narrative)."""
    if request.names is csl.NamesMode.NORMAL and not _TAG.sub("", text).strip():
        return csl.NO_PRINTED_FORM
    return text


def _in_language(text: str, lang: str | None) -> str:
    """Rendered cite text marked with its own language; the author's prefix and suffix
    around it stay in the book's."""
    return f'<span lang="{lang}">{text}</span>' if lang and text else text


def _affixed(item: CiteItem, text: str, engine: csl.Engine) -> str:
    """The cite with the author's prefix and suffix, their Markdown rendered as pandoc
    renders it there (``[*see* @key, p. 3, **passim**]``) and set for the book's
    language here: typography's smart rules leave a citation's text to the style. Their
    punctuation stays as the author wrote it (``Engine.as_written``)."""
    prefix = engine.as_written(_markdown(item.prefix, engine.language)) + " " \
        if item.prefix else ""
    suffix = engine.as_written(_markdown(item.suffix, engine.language))
    if suffix and suffix[0].isalnum():
        suffix = " " + suffix
    return prefix + text + suffix


def _markdown(affix: str, language: str | None = None) -> str:
    """An affix's inline Markdown as HTML; an ``@`` in it is text, not another citation.
    Set for LANGUAGE's typography when one is given."""
    if not affix:
        return ""
    html = render_inline(affix.replace("@", "\\@"))
    return typography.typeset_html(html, language) if language else html


def _backlinks(numbers: list[int], label: str, lang: str | None = None) -> str:
    """The way back from an entry to where it is cited: ^ for one place, ^ 1 2 … for more.

    ``lang``: the book's language, said when the entry is in another (the label is ours).
    """
    span = f'<span class="ref-backlinks" lang="{lang}">' if lang else '<span class="ref-backlinks">'
    if len(numbers) == 1:
        return (f' {span}<a href="#{cite_anchor(numbers[0])}" '
                f'role="doc-backlink" title="{label}">^</a></span>')
    links = " ".join(f'<a href="#{cite_anchor(n)}" role="doc-backlink" title="{label} {i}">{i}</a>'
                     for i, n in enumerate(numbers, start=1))
    return f' {span}^ {links}</span>'


def _bibliography_html(entries: list[tuple[str, str]], cited_at: dict[str, list[int]],
                       label: str, engine: csl.Engine, scope: str = "") -> str:
    """The reference list; ``cited_at`` maps lower-cased ids to citation numbers."""
    rows = "".join(_entry_html(key, text, cited_at.get(key.lower(), []), label, engine, scope)
                   for key, text in entries)
    return f'<div class="references csl-bib-body" role="list">\n{rows}</div>\n'


def _entry_html(key: str, text: str, numbers: list[int], label: str, engine: csl.Engine,
                scope: str) -> str:
    """One entry; one in its own language says so, and its backlinks say theirs."""
    lang = engine.language_of(key)
    backlinks = _backlinks(numbers, label, engine.language if lang else None) if numbers else ""
    lang_attribute = f' lang="{lang}"' if lang else ""
    return (f'<div id="{anchor(key, scope)}" class="csl-entry"{lang_attribute} role="listitem">'
            f"{_URL.sub(_link, text)}{backlinks}</div>\n")


def _cited_at(citations: list[Citation]) -> dict[str, list[int]]:
    """Reference id → numbers of the citations that cite it, in reading order."""
    places: dict[str, list[int]] = {}
    for citation in citations:
        for item in citation.items:
            places.setdefault(item.key.lower(), []).append(citation.number)
    return places


def _link(match: re.Match[str]) -> str:
    """A URL as a link whose scheme and host never break apart ("https://" alone at a line end)."""
    url = match[1]
    host = re.match(r"[a-z]+://[^/]*/?", url)
    head, tail = (host[0], url[host.end():]) if host else ("", url)
    return f'<a href="{url}"><span class="url-host">{head}</span>{tail}</a>'


def _first_notes(citations: list[Citation], notes: dict[int, int]) -> dict[str, int]:
    """Reference id → the note it is first cited in, for every reference cited in a note
    (what ``first-reference-note-number`` prints; citeproc-js compares cites with it even
    for a reference cited once: see ``csl.Engine.disambiguate``)."""
    cited_in: dict[str, set[int]] = {}
    for citation in citations:
        if citation.number in notes:
            for item in citation.items:
                cited_in.setdefault(item.key.lower(), set()).add(notes[citation.number])
    return {key: min(numbers) for key, numbers in cited_in.items()}


def _as_notes(book: Book, citations: list[Citation], engine: csl.Engine,
              words: dict[str, str], scopes: dict[int, str],
              notes: dict[int, int], in_texts: dict[int, str]) -> list[Chapter]:
    """Note styles: every citation in the text becomes a footnote (see ``citation_notes``);
    ``notes``: the number of the note each citation stands in. ``in_texts`` gets what
    each citation in the text leaves there (a narrative one's author, else nothing)."""
    by_number = {c.number: c for c in citations}

    def in_text(number: int) -> str:
        citation = by_number[number]
        in_texts[number] = ""
        if not citation.narrative:
            return ""
        key = citation.items[0].key  # the others are cited in the note (``_requests``)
        in_texts[number] = (f'<a href="#{anchor(key, scopes[number])}">'
                            f"{_author(engine, key, engine.cluster(notes.get(number)))}</a>")
        return in_texts[number]

    def as_note(number: int) -> str:
        return _format_citation(by_number[number], engine, "note", scopes[number],
                                notes.get(number))

    def in_note(number: int, form: str) -> str:
        citation = by_number[number]  # Pandoc sets a narrative one in the sentence
        return _format_citation(citation, engine, "in-note" if citation.narrative else form,
                                scopes[number], notes.get(number))

    placed = [citation_notes.place(chapter, in_text, as_note, in_note, words)
              for chapter in book.chapters]
    return citation_notes.renumber(placed)


_LINKED = re.compile(r'<a href="#([^"]+)">(.*?)</a>', re.DOTALL)


def _warned_of_no_printed_form(chapters: list[Chapter], entries: list[tuple[str, str]],
                               references: bibliography.References, config: Config
                               ) -> list[Chapter]:
    """A warning at each reference the style prints nothing for, where citeproc-js's
    ``csl.NO_PRINTED_FORM`` stands instead (a cite, a numeric style's entry): never a
    silent loss. Pandoc warns of the same ("Citation with no printed form"). The warning
    goes with the chapter that shows it first; an entry's with the reference list's."""
    if not any(csl.NO_PRINTED_FORM in text for text in
               [*(chapter.html for chapter in chapters), *(text for _, text in entries)]):
        return chapters
    scopes = {""} | ({f"{c.id}-" for c in chapters} if config.references_per_chapter else set())
    keys = {anchor(key, scope): key for key in references.positions for scope in scopes}
    found = [[keys[match[1]] for match in _LINKED.finditer(chapter.html)
              if csl.NO_PRINTED_FORM in match[2] and match[1] in keys]
             if csl.NO_PRINTED_FORM in chapter.html else [] for chapter in chapters]
    listing = next((index for index, chapter in enumerate(chapters)
                    if BIBLIOGRAPHY_MARKER in chapter.html), len(chapters) - 1)
    found[listing] += [key for key, text in entries if csl.NO_PRINTED_FORM in text]
    warned: set[str] = set()
    for index, keys_here in enumerate(found):
        fresh = [key for key in dict.fromkeys(keys_here) if key not in warned]
        warned.update(fresh)
        if fresh:
            chapters[index] = replace(chapters[index], warnings=(*chapters[index].warnings, *(
                _no_printed_form(key, references, config) for key in fresh)))
    return chapters


def _no_printed_form(key: str, references: bibliography.References, config: Config
                     ) -> Diagnostic:
    return Diagnostic(
        references.positions[key],
        f"the style '{config.csl}' prints nothing for reference '{key}', so the book shows "
        f"'{csl.NO_PRINTED_FORM}' in its place — give the reference the fields the style "
        "prints for its type (title, author, date…) or check its type", "warning")


def _without_links_to_nothing(chapters: list[Chapter], citations: list[Citation],
                              entries: list[tuple[str, str]], scopes: dict[int, str]
                              ) -> list[Chapter]:
    """Cites of a reference that has no entry — the style has no bibliography, or the
    entry rendered empty (Chicago's unsigned dictionary entry) — are not links: they
    would lead nowhere."""
    listed = {key.lower() for key, _ in entries}
    anchors = {anchor(item.key, scopes[citation.number]) for citation in citations
               for item in citation.items if item.key.lower() not in listed}
    if not anchors:
        return chapters
    link = re.compile('<a href="#(?:' + "|".join(map(re.escape, sorted(anchors)))
                      + ')">(.*?)</a>', re.DOTALL)
    return [replace(chapter, html=link.sub(r"\1", chapter.html)) for chapter in chapters]


_SPACED_CITE = re.compile(r"(\s*)" + HEADING_CITE.pattern)


def _headings_cited(chapter: Chapter, rendered: dict[int, str]) -> Chapter:
    """The chapter's headings that hold citations with their text as it reads ("Cite (Knuth
    1984)"), as Pandoc's contents show them: plain text, so no link stands in a contents
    link; a note style's note call goes, as Pandoc's contents drop notes."""
    headings = tuple(_heading_cited(heading, rendered) for heading in chapter.headings)
    if headings == chapter.headings:
        return chapter
    own = chapter.has_own_title and chapter.headings[0].cited
    title = _cited_text(chapter.headings[0].cited, rendered) if own else chapter.title
    return replace(chapter, headings=headings, title=title)


def _heading_cited(heading: Heading, rendered: dict[int, str]) -> Heading:
    """``heading`` with its citations' text, after what the stages before put in front of
    its text (``crossref``'s number)."""
    if not heading.cited:
        return heading
    bare = " ".join(HEADING_CITE.sub("", heading.cited).split())  # as the reader left it
    before = heading.text[:len(heading.text) - len(bare)] if heading.text.endswith(bare) else ""
    return replace(heading, text=before + _cited_text(heading.cited, rendered))


def _cited_text(cited: str, rendered: dict[int, str]) -> str:
    """A heading's ``cited`` text with each citation as plain text; one that leaves nothing
    in the text (a note's) takes the space before it along ("Cite [@a]." reads "Cite.")."""
    def plain(match: re.Match[str]) -> str:
        text = html.unescape(_TAG.sub("", rendered.get(int(match[2]), "")))
        return match[1] + text if text else ""
    return " ".join(_SPACED_CITE.sub(plain, cited).split())


def _fill(chapter: Chapter, rendered: dict[int, str]) -> Chapter:
    return replace(chapter, html=_MARKER.sub(lambda m: rendered[int(m[1])], chapter.html))


def _place_list(chapters: list[Chapter], listing: str, heading: str) -> list[Chapter]:
    """Into the first ``{#refs}`` marker when the manuscript has one, else after the last
    chapter; a second marker (both a heading and a div, say) is dropped."""
    placed = False
    for index, chapter in enumerate(chapters):
        if BIBLIOGRAPHY_MARKER in chapter.html:
            text = chapter.html if placed else chapter.html.replace(
                BIBLIOGRAPHY_MARKER, listing, 1)
            chapters[index] = replace(chapter, html=text.replace(BIBLIOGRAPHY_MARKER, ""))
            placed = True
    if placed or not listing:
        return chapters
    last = chapters[-1]
    level = 1 if last.has_own_title else 2
    section = (f'<section class="bibliography">\n<h{level} id="refs">{html.escape(heading)}'
               f"</h{level}>\n{listing}</section>\n")
    chapters[-1] = replace(last, html=last.html + section,
                           headings=(*last.headings, Heading(level, heading, "refs")))
    return chapters


def resolve(book: Book, config: Config, known: csl.speed.Entries | None = None) -> Book:
    """Fill every citation marker and attach the reference list.

    ``known``: bibliography entries an earlier build rendered (``incremental``). A
    reference citeproc-py cannot render is an error at its position (``unrenderable``).
    """
    references = load_references(config)
    problems = unknown_keys(book, references, config.bibliography)
    problems += unknown_nocite(config, references)
    if problems:
        raise CitationError(problems)
    try:
        return _resolved(book, config, references, known)
    except KzError:
        raise
    except Exception as failure:
        found = unrenderable.culprit(references, partial(_render_alone, config), failure)
        if found is None:
            raise
        raise CitationError([found]) from failure


def _render_alone(config: Config, items: list[dict[str, Any]]) -> None:
    """Render ITEMS' cites and entries in the book's style, in an engine of their own."""
    engine = csl.Engine(style_path(config), config.language, items,
                        intl.sort_key(config.language), csl.EntryLanguage(config.entry_language))
    requests = [csl.ItemRequest(str(item.get("id"))) for item in items]
    engine.register(requests)
    for request in requests:
        engine.render(request)
    engine.entries(intl.sort_key(config.language))


def _resolved(book: Book, config: Config, references: bibliography.References,
              known: csl.speed.Entries | None) -> Book:
    engine = open_engine(config, references)
    citations = _in_reading_order(book)
    engine.register([request for c in citations for _, request in _requests(c)])
    engine.register([csl.ItemRequest(key) for key in _nocite_keys(config, references)])
    places = citation_notes.note_numbers(book.chapters)
    notes = places if engine.is_note_style else citation_notes.note_numbers(book.chapters,
                                                                            own_notes=False)
    engine.disambiguate(_first_notes(citations, notes))
    words = intl.labels(config.language)
    scopes = {c.number: f"{chapter.id}-" if config.references_per_chapter else ""
              for chapter in book.chapters for c in chapter.citations}
    if engine.is_note_style:
        rendered: dict[int, str] = {}  # what stays in the text: a narrative's author
        chapters = _as_notes(book, citations, engine, words, scopes, notes, rendered)
    else:
        texts = engine.map_citations(
            lambda c: _format_citation(c, engine, scope=scopes[c.number],
                                       note=notes.get(c.number), place=places.get(c.number)),
            citations)
        rendered = {c.number: text for c, text in zip(citations, texts, strict=True)}
        chapters = [_fill(chapter, rendered) for chapter in book.chapters]
    chapters = [_headings_cited(chapter, rendered) for chapter in chapters]
    entries = engine.entries(intl.sort_key(config.language), known)
    chapters = _warned_of_no_printed_form(chapters, entries, references, config)
    chapters = _without_links_to_nothing(chapters, citations, entries, scopes)
    if config.references_per_chapter:
        chapters = [_chapter_list(chapter, entries, words, engine) for chapter in chapters]
    else:
        listing = (_bibliography_html(entries, _cited_at(citations), words["back"], engine)
                   if entries else "")
        chapters = _place_list(chapters, listing, words["references"])
    return replace(book, chapters=tuple(chapters),
                   reference_ids=tuple(key for key, _ in entries))


def _in_reading_order(book: Book) -> list[Citation]:
    """The book's citations as a reader meets them, those in an author's note at its call
    (``citation_notes.reading_order``): the order citeproc registers and renders them in."""
    by_number = {c.number: c for chapter in book.chapters for c in chapter.citations}
    met = [by_number.pop(number) for number in citation_notes.reading_order(book.chapters)
           if number in by_number]
    return met + list(by_number.values())


def _chapter_list(chapter: Chapter, entries: list[tuple[str, str]],
                  words: dict[str, str], engine: csl.Engine) -> Chapter:
    """book.toml references-per-chapter: the entries this chapter cites, at its end
    (or at its own ``{#refs}``), in the book-wide order; anchors scoped to the chapter."""
    cited_at = _cited_at(list(chapter.citations))
    mine = [(key, text) for key, text in entries if key.lower() in cited_at]
    scope = f"{chapter.id}-"
    listing = _bibliography_html(mine, cited_at, words["back"], engine, scope) if mine else ""
    if BIBLIOGRAPHY_MARKER in chapter.html:
        return _place_list([chapter], listing, words["references"])[0]
    if not listing:
        return chapter
    ident = f"refs-{chapter.id}"
    section = (f'<section class="bibliography">\n<h2 id="{ident}">'
               f'{html.escape(words["references"])}</h2>\n{listing}</section>\n')
    return replace(chapter, html=chapter.html + section,
                   headings=(*chapter.headings, Heading(2, words["references"], ident)))
