"""markdown-it-py adapter: Markdown chapters → ``Chapter``s with citation markers.

The only module that imports markdown-it-py and mdit-py-plugins. Parsing is
CommonMark plus Pandoc's extensions: tables, footnotes, heading attributes
(``# Title {#id .class}``), citations (see ``cite_syntax``), definition and task lists,
``~~del~~``, ``^sup^``, ``~sub~``, and the rules of ``kzpublish.markdown`` (spans and
attributes, figures, line blocks, fancy lists, raw TeX and raw blocks, a YAML block).
Citations are not resolved here: each becomes ``<kz-cite n="N"></kz-cite>`` and a
``Citation`` with the source position of every key, so later errors can point at
``FILE:LINE:COL``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt, rules_block
from markdown_it.common.utils import escapeHtml, normalizeReference
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from . import (
    cite_syntax,
    code_blocks,
    footnote_rules,
    images,
    intl,
    math_syntax,
    own_ids,
    sanitize,
    table_rules,
)
from .config import Config
from .errors import Diagnostic, ManuscriptError, SourcePos, read_text
from .markdown import (
    attributes,
    blank_before,
    broken_links,
    chapters,
    definitions,
    escapes,
    example_lists,
    fancy_lists,
    fenced_divs,
    figures,
    findings,
    footnote_checks,
    heading_ids,
    heading_refs,
    heading_text,
    html_divs,
    inline_attrs,
    line_blocks,
    link_references,
    markdown_in_html,
    metadata,
    nesting,
    pipe_cells,
    raw_blocks,
    raw_tex,
    scripts,
    sections,
    setext,
    shared_notes,
    spans,
    title_block,
    yaml_block,
)
from .model import Book, Chapter, Citation, CiteItem, Heading, Metadata

BIBLIOGRAPHY_MARKER = "<kz-bibliography></kz-bibliography>"
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def cite_marker(number: int) -> str:
    """The placeholder the citations stage replaces with the formatted citation."""
    return f'<kz-cite n="{number}"></kz-cite>'


HEADING_CITE = re.compile("\x00(\\d+)\x00")
"""Where a citation stands in a heading's ``cited`` text (no text holds NUL: markdown-it
reads it as U+FFFD)."""


def heading_cite(number: int) -> str:
    """The mark of citation ``number`` in a heading's text (``HEADING_CITE``)."""
    return f"\x00{number}\x00"


_SMART_PUNCTUATION = re.compile(r"-{2,3}|\.\.\.")
"""What pandoc's ``smart`` makes a dash or an ellipsis before it makes the identifier."""


def slugify(text: str) -> str:
    """Pandoc's auto identifier (``auto_identifiers``): the heading's text in lower case,
    letters, digits, ``_``, ``-`` and ``.`` kept (Cyrillic too), words joined by ``-``,
    everything before the first letter dropped; ``section`` when nothing is left.

    Pandoc makes it after ``smart``: "--" is already an en dash then, and goes."""
    text = _SMART_PUNCTUATION.sub("", unicodedata.normalize("NFC", text).lower())
    kept = "".join(c for c in text if c.isalnum() or c.isspace() or c in "_-.")
    words = "-".join(kept.split())
    start = next((index for index, c in enumerate(words) if c.isalpha()), len(words))
    return words[start:] or "section"


def _heading_attrs(tokens: list[Token], ids: heading_ids.Ids, path: Path,
                   lines: list[str]) -> tuple[list[Heading], list[Diagnostic]]:
    """Apply ``{#id .class key=value}`` to headings, give the rest auto ids, list them;
    the warnings for ids written twice and for headings without text."""
    headings, warnings = [], []
    openings = [index for index, token in enumerate(tokens) if token.type == "heading_open"]
    for index, opens_section in zip(openings, sections.opening(tokens), strict=True):
        token, inline = tokens[index], tokens[index + 1]
        parsed = heading_text.take_attributes(token, inline)
        written = parsed.ident if parsed else ""
        where = heading_ids.position(path, lines, token.map, written)
        wanted = written or slugify(_plain_text(inline, as_written=True))
        ident, duplicate = ids.claim(wanted, where, bool(written))
        token.attrSet("id", ident)
        if parsed:
            attributes.apply(token, replace(parsed, ident=""))
        heading = Heading(int(token.tag[1]), _plain_text(inline), ident,
                          parsed.classes if parsed else (), opens_section)
        headings.append(heading)
        warnings += [duplicate] if duplicate else []
        warnings += _untitled(heading, heading_ids.position(path, lines, token.map, ""))
    return headings, warnings


def _untitled(heading: Heading, where: SourcePos) -> list[Diagnostic]:
    """A warning for a heading the contents would list but that has no text to list."""
    if heading.text or not heading.sectioned or "unlisted" in heading.classes:
        return []
    return [Diagnostic(where, "heading without text — the contents leave it out (an EPUB's "
                       "contents entry must have words); write its text, or mark it "
                       "{.unlisted}", "warning")]


_AS_TEXT = frozenset({"text", "code_inline", "math_inline", "math_display"})
_AS_SPACE = frozenset({"softbreak", "hardbreak"})


def _plain_text(inline: Token, as_written: bool = False) -> str:
    """A heading's inline content as plain text, for the contents and titles: its words,
    code and formulas (as TeX), an image's description; no note, no raw HTML, and no
    citation — unless ``as_written``, Pandoc's text for the auto id, which keeps a
    citation as written (``[@key, p. 3]`` makes ``key-p.-3``)."""
    return " ".join(_text_of(inline.children or [], as_written).split())


def _text_of(children: list[Token], as_written: bool) -> str:
    parts = []
    for child in children:
        if child.type in _AS_TEXT:
            parts.append(child.content)
        elif child.type in _AS_SPACE:
            parts.append(" ")
        elif child.type == "image":
            parts.append(_text_of(child.children or [], as_written))
        elif child.type == "citation" and as_written:
            parts.append(child.meta.get("source", ""))
        elif child.type == "citation" and "number" in child.meta:  # numbered: marked
            parts.append(heading_cite(child.meta["number"]))
    return "".join(parts)


def _render_citation(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return cite_marker(tokens[idx].meta["number"])


def _render_div(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """A fenced div as <div id class>; ``::: {#refs}`` is where the reference list goes."""
    token = tokens[idx]
    if token.nesting != 1:
        return "</div>\n"
    params = token.info.strip()
    parsed = attributes.parse_whole(params) if params.startswith("{") else None
    parsed = parsed or attributes.Attributes(classes=(params.split()[0].strip("{}."),))
    pairs = "".join(f' {key}="{escapeHtml(value)}"'
                    for key, value in attributes.html_pairs(parsed, "div"))
    return f"<div{pairs}>\n" + (BIBLIOGRAPHY_MARKER + "\n" if parsed.ident == "refs" else "")


def _mark_task_boxes(state: StateCore) -> None:
    """The tasklists plugin writes a task's box and label as raw HTML tokens; they are
    Markdown's, so untrusted mode must not cut them (a "[x] done" lost its box and its
    tick, with a warning about raw HTML the author never wrote)."""
    tokens = state.tokens
    for index in range(2, len(tokens)):
        item, inline = tokens[index - 2], tokens[index]
        if (item.type == "list_item_open" and "task-list-item" in str(item.attrGet("class"))
                and inline.type == "inline" and inline.children):
            for child in (*inline.children[:2], inline.children[-1]):
                child.meta[sanitize.MADE_FROM_MARKDOWN] = True


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": nesting.MAX_NESTING})
    md.enable(["table", "strikethrough"]).use(footnote_plugin)
    md.use(deflist_plugin).use(tasklists_plugin, label=True)  # a labelled box (Ace)
    md.core.ruler.after("github-tasklists", "task_boxes", _mark_task_boxes)
    md.block.ruler.before("fence", "fenced_div", fenced_divs.rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.add_render_rule("container_div_open", _render_div)
    md.add_render_rule("container_div_close", _render_div)
    table_rules.use(md)
    md.inline.ruler.before("link", "citation", cite_syntax.bracketed_rule)
    md.inline.ruler.before("link", "narrative_citation", cite_syntax.narrative_rule)
    md.add_render_rule("citation", _render_citation)
    nesting.use(md)
    for rule in footnote_rules.RULES:
        md.add_render_rule(rule, getattr(footnote_rules, rule))
    md.use(amsmath_plugin).use(math_syntax.plugin).use(code_blocks.plugin)
    _pandoc_rules(md)
    return md


def _pandoc_rules(md: MarkdownIt) -> None:
    """The rules of ``kzpublish.markdown``, each where Pandoc's reader would try it."""
    md.block.ruler.before("table", "title_block", title_block.rule)
    md.block.ruler.before("table", "yaml_block", yaml_block.rule)
    md.block.ruler.after("table", "line_block", line_blocks.rule)
    md.block.ruler.before("list", "fancy_list", fancy_lists.rule, {"alt": ["paragraph"]})
    md.block.ruler.before("fancy_list", "example_list", example_lists.rule,
                          {"alt": ["paragraph"]})
    for name, rule, in_lists in (("list", rules_block.list_block, True),
                                 ("blockquote", rules_block.blockquote, False),
                                 ("heading", heading_text.atx(rules_block.heading), False)):
        md.block.ruler.at(name, blank_before.needs_blank_line(rule, in_lists),
                          {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.at("hr", blank_before.needs_blank_line(rules_block.hr),
                      {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.block.ruler.at("lheading", setext.single_line(rules_block.lheading))
    md.block.ruler.before("table", "pipe_cells", pipe_cells.rule,
                          {"alt": ["paragraph", "reference"]})
    md.block.ruler.before("html_block", "html_div", html_divs.rule,
                          {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.before("paragraph", "raw_tex", raw_tex.block_rule)
    md.inline.ruler.before("escape", "raw_tex", raw_tex.inline_rule)
    md.inline.ruler.before("escape", "escaped_space", escapes.rule)
    md.inline.ruler.before("citation", "span", spans.rule)  # [text]{.c} wins, as in Pandoc
    md.inline.ruler.after("emphasis", "superscript", scripts.superscript)
    md.inline.ruler.after("emphasis", "subscript", scripts.subscript)
    md.inline.ruler.push("attributes", inline_attrs.rule)
    md.core.ruler.after("block", "raw_blocks", raw_blocks.rule)
    md.core.ruler.after("block", "definitions", definitions.rule)
    md.core.ruler.after("block", "link_references", link_references.rule)
    md.core.ruler.after("block", "markdown_in_html", markdown_in_html.rule)
    md.core.ruler.after("block", "fancy_list_attributes", fancy_lists.attributes)
    md.core.ruler.after("block", "example_list_attributes", example_lists.attributes)
    md.inline.ruler.before("narrative_citation", "example_reference", example_lists.reference)
    md.core.ruler.before("inline", "heading_refs", heading_refs.rule(normalizeReference))
    md.core.ruler.after("inline", "pipe_cells", pipe_cells.restore)
    md.core.ruler.before("footnote_tail", "footnote_checks", footnote_checks.rule)
    md.core.ruler.after("block", "pipe_cells_beyond_header", pipe_cells.beyond_header)
    md.core.ruler.after("inline", "line_block_breaks", line_blocks.breaks)
    md.core.ruler.after("inline", "figures", figures.rule)
    md.core.ruler.after("inline", "dropped", findings.report_dropped)
    md.core.ruler.after("inline", "broken_links", broken_links.rule)
    md.add_render_rule("figure_close", figures.render_close)
    md.add_render_rule("page_break", raw_tex.render_page_break)
    md.add_render_rule("title_block", title_block.render)
    md.add_render_rule("front_matter", yaml_block.render)
    md.add_render_rule(findings.DROPPED, findings.render_dropped)
    md.add_render_rule("s_open", lambda *_: "<del>")
    md.add_render_rule("s_close", lambda *_: "</del>")


@dataclass
class _Source:
    """A chapter file while the book is read: parsed in phases (``_core_phases``), then
    cut into chapters."""

    path: Path
    lines: list[str]
    env: dict[str, Any]
    """The parser's environment: the file's notes, references and labels."""
    state: StateCore
    """The parse, its blocks first, then its inline text."""
    headings: list[Heading] = field(default_factory=list)
    renamed: list[Diagnostic] = field(default_factory=list)
    """The warnings for ids written on its elements that kzpublish writes itself."""


def _core_phases(md: MarkdownIt) -> tuple[list[Any], list[Any], list[Any]]:
    """The parser's core rules before reading inline text, from there on, and from
    gathering the notes (``footnote_tail``) on.

    Pandoc reads a book's files as one document: a reference definition or a heading
    (``[Heading text]``) of one file is a link target in all. So every file's blocks
    are read first, their labels shared, and only then their inline text (where links
    are resolved). Notes are too (``shared_notes``): a file gets the definitions it
    calls from others after their inline text is read and before its notes are
    gathered. Examples number on through the files (``example_lists``), and ``@label``
    finds one in any. ``getRules("")`` runs the enabled rules in the ruler's order."""
    names = [rule.name for rule in md.core.ruler.__rules__ if rule.enabled]
    rules = md.core.ruler.getRules("")
    cut, notes = names.index("inline"), names.index("footnote_tail")
    return rules[:cut], rules[cut:notes], rules[notes:]


def _share_labels(sources: list[_Source]) -> None:
    """Each file's link labels reach every other file; a file's own come first."""
    everyone: dict[str, Any] = {}
    for source in sources:
        for label, target in source.env.get("references", {}).items():
            everyone.setdefault(label, target)
    for source in sources:
        own = source.env.setdefault("references", {})
        for label, target in everyone.items():
            own.setdefault(label, target)


class _ChapterReader:
    """Reads the chapter files; numbers citations and notes on through the book."""

    def __init__(self, md: MarkdownIt, config: Config):
        self.md = md
        self.manuscript = config.manuscript
        self.ids: heading_ids.Ids  # per book, in ``read``: it reserves the keys cited
        self.next_number = 1
        self.next_note = 1
        self.labels = intl.labels(config.language)
        self.untrusted = config.untrusted
        self.lists_per_chapter = config.references_per_chapter
        self.nocite = config.nocite
        self.book_title = config.title
        self.files: list[tuple[Path, list[str]]] = []
        """Each file's path and lines, by its index: a note copied from one file into
        another (``shared_notes``) names its own."""

    def read(self, paths: list[Path]) -> list[Chapter]:
        """Every chapter of the files, in order."""
        blocks, inline, notes = _core_phases(self.md)
        examples = example_lists.numbering()
        sources = [self._blocks(path, number, blocks, examples)
                   for number, path in enumerate(paths)]
        _share_labels(sources)
        lent = shared_notes.declare([(source.state.src, source.state.tokens, source.env)
                                     for source in sources])
        for source in sources:
            for rule in inline:
                rule(source.state)
        shared_notes.lend([source.state.tokens for source in sources], lent)
        self.files = [(source.path, source.lines) for source in sources]
        self.ids = heading_ids.Ids(own_ids.Own(self._listed_keys(sources)))
        for source in sources:
            source.renamed = self.ids.reserve(source.state.tokens, source.path, source.lines)
        findings = [self._inline(source, notes) for source in sources]
        targets = {heading_refs.placeholder(number, index): heading.id
                   for number, source in enumerate(sources)
                   for index, heading in enumerate(source.headings)}
        found: list[Chapter] = []
        for source, (meta, warnings) in zip(sources, findings, strict=True):
            heading_refs.resolve(source.state.tokens, targets)
            found += self._chapters(source, len(found) + 1, meta, warnings)
        return found

    def _listed_keys(self, sources: list[_Source]) -> set[str]:
        """The keys the reference list may list: those cited, and book.toml's nocite
        (``*`` for all)."""
        keys = set(self.nocite)
        for source in sources:
            for inline in _inline_tokens(source.state.tokens):
                keys.update(draft.key for child, _ in _citation_tokens(inline)
                            for draft in child.meta["items"])
        return keys

    def _blocks(self, path: Path, number: int, rules: list[Any],
                examples: dict[str, Any]) -> _Source:
        """The file parsed up to its inline text; its headings known as link labels, its
        example lists numbered on from the files before (``examples``, the book's)."""
        text = read_text(path, ManuscriptError).removeprefix("\ufeff")
        env: dict[str, Any] = {heading_refs.FILE: number, example_lists.KEY: examples,
                               "back_label": self.labels["back"],
                               "notes_label": self.labels["notes"]}
        state = StateCore(text, self.md, env)
        for rule in rules:
            rule(state)
        return _Source(path, text.splitlines(), env, state)

    def _inline(self, source: _Source, rules: list[Any]) -> tuple[dict[str, Any],
                                                                     list[Diagnostic]]:
        """The rest of the parse; the notes counted and the headings' ids made, in
        reading order; the file's metadata and what the reading found to warn about."""
        for rule in rules:
            rule(source.state)
        tokens, env, path = source.state.tokens, source.env, source.path
        warnings = sanitize.check(tokens, path, source.lines, self.untrusted)
        env["note_offset"] = self.next_note - 1
        self.next_note += len(env.get("footnotes", {}).get("list", {}))
        meta, found = metadata.read(tokens, path)
        source.headings, duplicates = _heading_attrs(tokens, self.ids, path, source.lines)
        warnings += found + _findings(env, path) + math_syntax.warnings(tokens, path)
        warnings += source.renamed + duplicates
        warnings += table_rules.warnings(env, path) + nesting.warnings(env, path)
        return meta, warnings

    def _chapters(self, source: _Source, first_index: int, meta: dict[str, Any],
                  warnings: list[Diagnostic]) -> list[Chapter]:
        """The file's chapters (``chapters.split``), numbered on from ``first_index``."""
        tokens, env = source.state.tokens, source.env
        env["docId"] = own_ids.chapter_id(first_index)
        _place_bibliography(tokens, self.md)
        parts = chapters.split(tokens, lambda part: self._shows_nothing(part, env),
                               self.lists_per_chapter)
        found = [self._chapter(part, source, own_ids.chapter_id(first_index + number))
                 for number, part in enumerate(parts)]
        named = self._plain(metadata.title(meta))
        if found[0].has_own_title and named not in ("", self.book_title, found[0].title):
            warnings = sorted([*warnings, *metadata.unused_title(tokens, source.path)],
                              key=lambda warning: (warning.pos.line or 0, warning.pos.col or 0))
        title = found[0].title or named or self.book_title
        found[0] = replace(found[0], title=title, warnings=(*warnings, *found[0].warnings))
        return found

    def _chapter(self, tokens: list[Token], source: _Source, chapter_id: str) -> Chapter:
        """One chapter of the file; its title is empty when it opens without a heading."""
        path = source.path
        ids = {token.attrGet("id") for token in tokens if token.type == "heading_open"}
        headings = [heading for heading in source.headings if heading.id in ids]
        citations = self._citations(tokens, path, source.lines)
        headings = _with_citations_marked(headings, tokens)
        pictures, image_warnings = images.check(tokens, path, self.manuscript)
        body = self.md.renderer.render(tokens, self.md.options, source.env)
        sanitize.offline(body, path, source.lines)
        own_title = bool(headings) and headings[0].level == 1 and headings[0].sectioned
        return Chapter(
            id=chapter_id,
            source=SourcePos(path),
            title=headings[0].text if own_title else "",
            html=body,
            headings=tuple(headings),
            citations=tuple(citations),
            has_own_title=own_title,
            images=tuple(pictures),
            warnings=(*image_warnings, *self._empty_list(tokens, body, citations, source)),
        )

    def _empty_list(self, tokens: list[Token], body: str, citations: list[Citation],
                    source: _Source) -> list[Diagnostic]:
        """book.toml's references-per-chapter: a warning at a ``{#refs}`` in a chapter that
        cites nothing (a file ``# References {#refs}`` of its own, say): the list it places
        is the chapter's, and is empty."""
        if not self.lists_per_chapter or citations or BIBLIOGRAPHY_MARKER not in body:
            return []
        line = next((token.map[0] for token in tokens if token.map and (
            token.attrGet("id") == "refs" or "#refs" in token.info)), 0)
        text = source.lines[line] if line < len(source.lines) else ""
        return [Diagnostic(SourcePos(source.path, line + 1, text.find("#refs") + 1 or 1),
                           "this chapter cites nothing, and with references-per-chapter the "
                           "list at {#refs} is the chapter's own: it stays empty — remove "
                           "the {#refs}, or set references-per-chapter = false to list the "
                           "book's references here", "warning")]

    def _shows_nothing(self, tokens: list[Token], env: dict[str, Any]) -> bool:
        """True when the tokens render to nothing a reader sees (a YAML block, a title
        block, an HTML comment, a page break: a chapter of them would be a blank page).
        Inline text shows without being rendered: its citations are not numbered yet."""
        if any(token.type == "inline" and token.children for token in tokens):
            return False
        shown = self.md.renderer.render(tokens, self.md.options, dict(env))
        return not _HTML_COMMENT.sub("", shown.replace(raw_tex.PAGE_BREAK_HTML, "")).strip()

    def _plain(self, markdown: str) -> str:
        """Inline Markdown (a YAML title) as the plain text a heading's would be."""
        return _plain_text(self.md.parseInline(markdown)[0]) if markdown else ""

    def _citations(self, tokens: list[Token], path: Path, lines: list[str]) -> list[Citation]:
        citations = []
        for inline in _inline_tokens(tokens):
            where, text = self.files[inline.meta["origin"]] if "origin" in inline.meta else (
                path, lines)
            for child, offset in _citation_tokens(inline):
                child.meta["number"] = self.next_number
                items = tuple(_cite_item(draft, inline, offset, where, text)
                              for draft in child.meta["items"])
                citations.append(Citation(self.next_number, items, child.meta["narrative"]))
                self.next_number += 1
        return citations


def _with_citations_marked(headings: list[Heading], tokens: list[Token]) -> list[Heading]:
    """The headings, those holding citations with their ``cited`` text: the contents show
    a citation as it reads, as Pandoc's do (the citations stage fills it in)."""
    marked = {str(token.attrGet("id")): _plain_text(tokens[index + 1])
              for index, token in enumerate(tokens) if token.type == "heading_open"}
    return [replace(heading, cited=marked[heading.id])
            if HEADING_CITE.search(marked.get(heading.id, "")) else heading
            for heading in headings]


def _inline_tokens(tokens: list[Token]) -> list[Token]:
    """Inline tokens in document order, footnote bodies included where they stand."""
    return [token for token in tokens if token.type == "inline"]


def _citation_tokens(inline: Token) -> list[tuple[Token, int]]:
    """The citations of an inline token in reading order, with the offset in its content
    where their source begins: image descriptions (figure captions) hold citations too."""
    found: list[tuple[Token, int]] = []
    for child in inline.children or []:
        if child.type == "citation":
            found.append((child, 0))
        elif child.type == "image" and child.children:
            base = max(inline.content.find(child.content), 0)
            found += [(nested, base) for nested in child.children if nested.type == "citation"]
    return found


def _findings(env: dict[str, Any], path: Path) -> list[Diagnostic]:
    """The rules' warnings about this chapter, placed in its file."""
    return [Diagnostic(SourcePos(path, line + 1, column + 1), message, "warning")
            for line, column, message in findings.taken(env)]


def _cite_item(draft: cite_syntax.ItemDraft, inline: Token, base: int, path: Path,
               lines: list[str]) -> CiteItem:
    return CiteItem(
        key=draft.key,
        pos=_position(draft, inline, base, path, lines),
        prefix=draft.prefix,
        suffix=draft.suffix,
        locator=draft.locator,
        label=draft.label,
        suppress_author=draft.suppress_author,
    )


def _position(draft: cite_syntax.ItemDraft, inline: Token, base: int, path: Path,
              lines: list[str]) -> SourcePos:
    """Map an offset in the inline source (after BASE) back to the file's line and column."""
    offset = base + draft.offset
    before = inline.content[:offset]
    first_line = inline.map[0] if inline.map else 0
    line_index = first_line + before.count("\n")
    estimate = offset - (before.rfind("\n") + 1)
    source_line = lines[line_index] if line_index < len(lines) else ""
    column = source_line.find("@" + draft.key, estimate)
    if column < 0:
        column = source_line.find("@" + draft.key)
    return SourcePos(path, line_index + 1, (column if column >= 0 else estimate) + 1)


def _place_bibliography(tokens: list[Token], md: MarkdownIt) -> None:
    """Put the reference list after a heading with id ``refs``, as Pandoc does."""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrGet("id") == "refs":
            marker = Token("html_block", "", 0, content=BIBLIOGRAPHY_MARKER + "\n")
            tokens.insert(index + 3, marker)
            return


def read(config: Config) -> Book:
    """Read every chapter of the book, in order."""
    reader = _ChapterReader(_markdown(), config)
    found = reader.read([config.manuscript / relative for relative in config.chapters])
    return Book(meta=_metadata(config), chapters=tuple(found))


def _metadata(config: Config) -> Metadata:
    return Metadata(
        title=config.title,
        subtitle=config.subtitle,
        authors=config.authors,
        language=config.language,
        date=config.date,
        identifier=config.identifier,
        version=config.version,
        slug=config.slug or intl.slug(config.title),
        subject=config.subject,
        keywords=config.keywords,
    )


@functools.cache
def _inline_parser() -> MarkdownIt:
    """One parser for every short string: building one takes milliseconds. Neither a note
    nor another citation can stand in a citation's prefix: ``^[…]``, ``[^1]`` and
    ``[@key]`` there stay text (the fuzzer's ``[@a[@a]@a]`` crashed)."""
    return _markdown().disable(["footnote_inline", "footnote_ref", "citation",
                                "narrative_citation"])


def render_inline(text: str) -> str:
    """Render a short Markdown string (a citation prefix, say) to inline HTML."""
    return _inline_parser().renderInline(text) if text else ""


__all__ = ["BIBLIOGRAPHY_MARKER", "HEADING_CITE", "cite_marker", "heading_cite", "read",
           "render_inline", "slugify"]

