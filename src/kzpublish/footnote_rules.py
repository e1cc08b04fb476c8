"""How footnotes render: a numbered call, and an aside per note at the chapter's end.

Replaces mdit-py-plugins' default list markup with DPUB-ARIA roles
(``doc-noteref``, ``doc-footnote``, ``doc-backlink`` on the note's number) that every edition can
use as they are or rearrange: the PDF writer moves each aside to its call
(``float: footnote``), the EPUB writer adds ``epub:type``. Numbers run through
the whole book: ``env["note_offset"]`` holds the count of earlier chapters'
notes. Free of markdown-it imports; these are render rules over its tokens.
"""

from __future__ import annotations

from typing import Any

RULES = ("footnote_ref", "footnote_block_open", "footnote_block_close", "footnote_open",
         "footnote_close", "footnote_anchor", "paragraph_open")


def note_id(env: Any, token: Any) -> str:
    """The id of a note: unique in the book because chapter ids are."""
    return f"fn-{env['docId']}-{token.meta['id'] + 1}"


def number(env: Any, token: Any) -> int:
    return int(env.get("note_offset", 0)) + token.meta["id"] + 1


def _ref_id(env: Any, token: Any) -> str:
    sub = token.meta.get("subId", 0)
    base = f"fnref-{env['docId']}-{token.meta['id'] + 1}"
    return f"{base}-{sub}" if sub else base


# The markup of notes, shared with ``citation_notes`` (citations that become notes).

def call_html(note: str, ref: str, label: int | str) -> str:
    """A note call in the text."""
    return (f'<sup class="footnote-ref"><a href="#{note}" id="{ref}" '
            f'role="doc-noteref">{label}</a></sup>')


def section_open(heading: str) -> str:
    """The notes of a chapter, under a heading so they can be found by navigation."""
    return ('<section class="footnotes" role="doc-endnotes">\n'
            f'<h2 class="footnotes-title">{heading}</h2>\n')


def note_open(note: str) -> str:
    return f'<aside class="footnote" id="{note}" role="doc-footnote">\n'


def backlink_html(ref: str, label: int | str, title: str) -> str:
    """A note's number, which leads back to its call."""
    return (f'<a href="#{ref}" class="footnote-back" role="doc-backlink" '
            f'title="{title}">{label}</a>. ')


def footnote_ref(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return call_html(note_id(env, token), _ref_id(env, token), number(env, token))


def footnote_block_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return section_open(env.get("notes_label", "Notes"))


def footnote_block_close(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return "</section>\n"


def footnote_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    env["note_label"] = (number(env, token), f"fnref-{env['docId']}-{token.meta['id'] + 1}")
    return note_open(note_id(env, token))


def footnote_close(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return "</aside>\n"


def footnote_anchor(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """Nothing at the note's end: its number, at the start, is the way back."""
    return ""


def paragraph_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """A note's first paragraph starts with the note's number, linked back to its call.

    (The number rather than Pandoc's ↩: the vendored fonts have no arrows, and a
    glyph from a fallback font is what a typesetter frowns at.)
    """
    opening = self.renderToken(tokens, idx, options, env)
    label = env.pop("note_label", None)
    if label is None:
        return opening
    number, back = label
    return opening + backlink_html(back, number, env.get("back_label", "Back to text"))
