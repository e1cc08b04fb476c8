"""Citations as footnotes, for CSL note styles (Chicago notes and bibliography, OSCOLA…).

A citation in the text becomes a note call and a note holding the formatted
citation (a narrative ``@key`` keeps the author's name in the text, the note the rest,
as Pandoc splits it: "Donald E. Knuth¹ says", ¹ "The TeXbook (…), 12."); a
citation already inside the author's own footnote stays where it is, as
Chicago asks: in parentheses, as Pandoc sets it, unless it opens a note of one
paragraph (``[^1]: [@a, p. 3].``), which then reads as a citation's own note. Then
every note of the book is numbered again in reading order, author's and citation notes
alike, so all three editions show one sequence.
``note_numbers`` tells beforehand which number each citation's note will carry
(OSCOLA's "Brown (n 1)" cites the note an item was first cited in); for an in-text
style, the number of the author's note a citation is written in. ``reading_order`` is
the order a reader meets the citations in, a note's at its call, which positions
("ibid"), citation numbers and an unsorted reference list follow, whatever the style.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from . import footnote_rules
from .csl.capitals import first_letter
from .model import Chapter

# A marker with the space before it and the punctuation after it: a note call
# goes after the punctuation, without the space ("as one [@a]," → "as one,¹").
MARKER = re.compile(r'(\s*)<kz-cite n="(\d+)"></kz-cite>([.,;:!?]*)')
_SECTION_END = re.compile(r'(<section class="footnotes" role="doc-endnotes">.*?)(</section>)',
                          re.S)
_CALL = re.compile(r'(<a href="#(fn-[^"]+)" id="(fnref-[^"]+)" role="doc-noteref">)([^<]*)(</a>)')
_NOTE = re.compile(r'<aside class="footnote" id="(fn-[^"]+)" role="doc-footnote">.*?</aside>\n?',
                   re.S)
_BACK = re.compile(r'(<a href="#(fnref-[^"]+)" class="footnote-back"[^>]*>)([^<]*)(</a>)')
_OPENING = re.compile(r'<aside class="footnote" [^>]*>\s*<p><a [^>]*class="footnote-back"[^>]*>'
                      r'[^<]*</a>\. <kz-cite n="(\d+)"></kz-cite>(?:(?!</p>).)*</p>\s*</aside>',
                      re.S)


def place(chapter: Chapter, in_text: Callable[[int], str], as_note: Callable[[int], str],
          in_note: Callable[[int, str], str], words: dict[str, str]) -> Chapter:
    """Fill the citation markers of a chapter, turning those in the text into notes.

    ``in_text(n)``: what stays in the sentence (a narrative citation's author, as its cite
    prints it where it stands: rendered before its note, whose cite would make it a
    repeat of itself); ``as_note(n)``: the body of the new note; ``in_note(n, form)``: a
    citation written inside the author's own note, in the form ``_form_in_note`` says.
    Rendering order is reading order, which note styles' "ibid." and short forms depend on.
    """
    notes = _author_notes(chapter.html)
    opening = {int(m[1]) for m in _OPENING.finditer(chapter.html)}
    placed = [(_reading_position(m.start(), notes), m) for m in MARKER.finditer(chapter.html)]
    filled: dict[int, str] = {}
    new_notes: dict[int, str] = {}
    for (_, in_a_note), marker in sorted(placed, key=lambda pair: pair[0]):
        number = int(marker[2])
        if in_a_note:
            form = _form_in_note(number in opening, marker[3])
            filled[number] = marker[1] + in_note(number, form) + marker[3]
            continue
        note, ref = f"fn-{chapter.id}-c{number}", f"fnref-{chapter.id}-c{number}"
        author = in_text(number)  # first: it reads the cites before the note's own
        new_notes[number] = (f"{footnote_rules.note_open(note)}<p>"
                             f"{footnote_rules.backlink_html(ref, '', words['back'])}"
                             f"{sentence_start(as_note(number))}</p>\n</aside>\n")
        call = footnote_rules.call_html(note, ref, "")
        filled[number] = (f"{marker[1]}{author}{marker[3]}{call}" if author
                          else f"{marker[3]}{call}")
    html = MARKER.sub(lambda m: filled[int(m[2])], chapter.html)
    return replace(chapter, html=_add_notes(html, "".join(new_notes.values()), words["notes"]))


def sentence_start(html: str) -> str:
    """A note a citation makes starts a sentence: its first letter in capitals ("see Doe"
    → "See Doe", "vgl." → "Vgl."), as Pandoc writes such notes (citeproc's
    capitalize-first). A citation the author wrote opening a note of their own is left as
    written, as Pandoc leaves it."""
    first = first_letter(html)
    if first is None or not first[1].islower():
        return html
    return html[:first[0]] + first[1].upper() + html[first[0] + 1:]


def _form_in_note(opens: bool, punctuation: str) -> str:
    """How a citation in an author's note reads. Pandoc (``deNote``) sets one that opens a
    note of one paragraph as a note of its own ("note", the layout's closing period
    included), any other in parentheses ("in-note"). Where the author's punctuation
    follows the opening one, it ends the citation instead of that period ("opening":
    "[@a, p. 3]." reads "Author, Title, 3.", as in Pandoc, "[@a], and" no "Title., and")."""
    if not opens:
        return "in-note"
    return "opening" if punctuation else "note"


def note_numbers(chapters: Sequence[Chapter], own_notes: bool = True) -> dict[int, int]:
    """Citation number → the number of the note it will stand in once ``place`` and
    ``renumber`` have run: its own note, or the author's note that holds it.

    Notes are numbered through the book in the order their calls stand in the text, as
    ``renumber`` does (a note called twice keeps its first number); a citation's own call
    goes where its marker is. A citation in an author's note that is never called gets
    no number. ``own_notes`` False (an in-text style): citations in the text make no
    notes, so only those in an author's note get a number, that note's.
    """
    numbers: dict[int, int] = {}
    by_note: dict[str, int] = {}
    for chapter in chapters:
        calls, inside = _calls_in_reading_order(chapter.html)
        for call in calls:
            if isinstance(call, int):
                if not own_notes:
                    continue
                numbers[call] = len(by_note) + 1
                by_note[f"citation {call}"] = numbers[call]
            else:
                by_note.setdefault(call, len(by_note) + 1)
        numbers.update((citation, by_note[note]) for citation, note in inside.items()
                       if note in by_note)
    return numbers


def reading_order(chapters: Sequence[Chapter]) -> list[int]:
    """The numbers of the book's citations in the order a reader meets them: one written
    in an author's note where that note is called, as Pandoc hands its citations to
    citeproc (a marker's number follows the HTML, where the notes come last)."""
    order: list[int] = []
    for chapter in chapters:
        notes = _author_notes(chapter.html)
        placed = [(_reading_position(m.start(), notes), int(m[2]))
                  for m in MARKER.finditer(chapter.html)]
        order += [number for _, number in sorted(placed, key=lambda pair: pair[0])]
    return order


def _calls_in_reading_order(html: str) -> tuple[list[str | int], dict[int, str]]:
    """The note calls a chapter will have, in order: an author's note by its id, a
    citation's own note by the citation's number; and citations inside an author's note,
    with that note's id."""
    notes = [(m.start(), m.end(), m[1]) for m in _NOTE.finditer(html)]
    calls: list[tuple[int, str | int]] = [(m.start(), m[2]) for m in _CALL.finditer(html)]
    inside: dict[int, str] = {}
    for marker in MARKER.finditer(html):
        note = next((ident for start, end, ident in notes if start <= marker.start() < end),
                    None)
        if note is None:
            calls.append((marker.start(), int(marker[2])))
        else:
            inside[int(marker[2])] = note
    return [call for _, call in sorted(calls, key=lambda pair: pair[0])], inside


def _author_notes(html: str) -> list[tuple[int, int, int]]:
    """Each of the author's notes as (start, end, where its first call stands in the text)."""
    calls: dict[str, int] = {}
    for call in _CALL.finditer(html):
        calls.setdefault(call[2], call.start())
    return [(m.start(), m.end(), calls.get(m[1], m.start())) for m in _NOTE.finditer(html)]


def _reading_position(offset: int, notes: list[tuple[int, int, int]]) -> tuple[int, int]:
    """Where a reader meets a marker: one inside an author's note is met at that note's
    call, just after the text before it — so "ibid." and short forms follow reading order.
    The second number is 1 for a marker inside a note (it stays there), else 0."""
    for start, end, call in notes:
        if start <= offset < end:
            return (call, 1)
    return (offset, 0)


def _add_notes(html: str, notes: str, heading: str) -> str:
    if not notes:
        return html
    if _SECTION_END.search(html):
        return _SECTION_END.sub(lambda m: m[1] + notes + m[2], html, count=1)
    return html + footnote_rules.section_open(heading) + notes + "</section>\n"


def renumber(chapters: list[Chapter]) -> list[Chapter]:
    """Number every note call 1, 2, 3… through the book; order each chapter's notes so."""
    numbers: dict[str, int] = {}
    for chapter in chapters:
        for call in _CALL.finditer(chapter.html):
            numbers.setdefault(call[2], len(numbers) + 1)
    by_ref = {call[3]: numbers[call[2]] for ch in chapters for call in _CALL.finditer(ch.html)}
    return [replace(ch, html=_ordered(_relabel(ch.html, numbers, by_ref), numbers))
            for ch in chapters]


def _relabel(html: str, numbers: dict[str, int], by_ref: dict[str, int]) -> str:
    html = _CALL.sub(lambda m: f"{m[1]}{numbers[m[2]]}{m[5]}", html)
    return _BACK.sub(lambda m: f"{m[1]}{by_ref.get(m[2], m[3])}{m[4]}", html)


def _ordered(html: str, numbers: dict[str, int]) -> str:
    """The notes of a section in the order of their numbers."""
    def sort(section: re.Match[str]) -> str:
        notes = _NOTE.findall(section[1])
        bodies = {m[1]: m[0] for m in _NOTE.finditer(section[1])}
        head = _NOTE.sub("", section[1])
        ordered = sorted(notes, key=lambda ident: numbers.get(ident, 0))
        return head + "".join(bodies[ident] for ident in ordered) + section[2]
    return _SECTION_END.sub(sort, html)
