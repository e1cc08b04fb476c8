"""Raw HTML in chapters: remote resources refused, and in untrusted mode an allow-list kept.

Two modes (``Config.untrusted``):
- trusted (the default, the author's own book): raw HTML is kept as written, but a
  resource it loads from the network (``<img src="https://…">``, ``<link href>``,
  ``<script src>``, ``<iframe src>``, CSS ``@import``/``url()`` in a style attribute or
  ``<style>``, a ``<meta http-equiv="refresh">`` to a site, an ``<iframe srcdoc>`` page or
  an SVG animation's ``href`` that loads one) is an error at its FILE:LINE:COL — editions
  must work offline;
- untrusted (CI on a pull request): every raw HTML token is parsed and written
  again keeping only the allow-list below, one warning per removal at FILE:LINE:COL.
``check`` works on markdown-it's tokens (``html_block``, ``html_inline``), where the
chapter line is known; ``offline`` checks the rendered chapter once more for remote
resources, whatever Markdown construct made the markup.

Own code over Python's ``html.parser`` and tinycss2 (the only module importing it; at the
first CSS read, not with the reader: most chapters have none)
rather than a sanitising library: ``nh3`` (ammonia) and the deprecated bleach clean
silently, and this module must say what it removed and where, and scan trusted HTML
for the same resources without changing it. The output is serialised again from the
parsed events — tags rebuilt, attributes quoted and escaped, text escaped, comments
dropped — so a browser reads what was checked, whatever tricks the input played on
the parser (``<!-->``, unclosed tags, ``java\\tscript:``).

The allow-list (README "Untrusted manuscripts"): the text and structure elements of
``ELEMENTS``; the attributes of ``GLOBAL_ATTRIBUTES`` (plus ``aria-*``, ``data-*``)
and each element's own; links (``a href``, ``cite``) to http(s), mailto or relative
targets; resources (``src``, ``srcset``, ``poster``, CSS ``url()``) only relative
paths in the project or ``data:image/…``; ``<style>`` and ``style=`` without
``@import`` or other URLs. Everything else — ``script``, ``on*=`` handlers,
``javascript:``/``vbscript:``/``data:text/html`` URLs, ``iframe``, ``object``,
``embed``, ``applet``, ``frame``, ``base``, ``meta``, ``link``, forms and their
inputs, inline SVG and MathML — is removed (elements whose content is code or
hidden, such as ``script`` or ``iframe``, with their content).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import Diagnostic, ManuscriptError, SourcePos

_PLAIN = ("abbr address article aside b bdi bdo br caption cite code dd dfn div dl dt em "
          "figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr i kbd main mark nav p "
          "picture pre rp rt ruby s samp section small span strong style sub summary sup table "
          "tbody tfoot thead tr u ul var wbr")
ELEMENTS: dict[str, frozenset[str]] = {
    **{name: frozenset() for name in _PLAIN.split()},
    "a": frozenset({"href", "hreflang", "rel", "type"}),
    "img": frozenset({"src", "alt", "srcset", "sizes", "loading", "decoding"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr"}),
    "col": frozenset({"span"}), "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed", "type"}), "li": frozenset({"value"}),
    "time": frozenset({"datetime"}), "data": frozenset({"value"}),
    "blockquote": frozenset({"cite"}), "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}), "ins": frozenset({"cite", "datetime"}),
    "details": frozenset({"open"}),
    "audio": frozenset({"src", "controls", "loop", "muted", "preload"}),
    "video": frozenset({"src", "poster", "controls", "loop", "muted", "preload",
                        "playsinline"}),
    "source": frozenset({"src", "srcset", "sizes", "type", "media"}),
    "track": frozenset({"src", "kind", "label", "srclang", "default"}),
}
"""Element → the attributes it may carry besides the global ones (untrusted mode)."""
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "style", "role",
                               "hidden", "translate", "epub:type", "xml:lang",
                               # old presentational ones, harmless: less noise on old HTML
                               "align", "valign", "width", "height", "border"})
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "noscript", "noembed", "noframes",
    "template", "object", "embed", "applet", "svg", "math", "textarea", "select", "datalist",
    "title", "xmp", "plaintext", "head"})
"""Elements whose content is code, raw text or hidden: removed with all they hold
(``style`` when it is removed: not closed in its own HTML block)."""
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen",
                           "link", "meta", "param", "source", "track", "wbr"})
"""HTML elements with no closing tag."""
MADE_FROM_MARKDOWN = "kz_made_from_markdown"
"""The meta key of an ``html_inline`` token a Markdown rule made (a task list's box and its
label), not the author: it is the same in both modes, as all Markdown is."""
NOT_MARKUP = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>", re.S | re.I)
"""Comments, scripts and style sheets in HTML: what they hold is no element (``a<b``)."""
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_NOT_NETWORK = frozenset({"data", "file", "about", "blob", "javascript", "vbscript", "mailto",
                          "tel", "cid", "mid"})
"""Schemes that fetch nothing from the network; any other one (http, ftp, …) does."""
_SAFE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp)[;,]", re.I)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_NAME = re.compile(r"^[a-z][a-z0-9_.:-]*$")
_RESOURCE_ATTRIBUTES = frozenset({"src", "srcset", "imagesrcset", "poster", "background",
                                  "lowsrc", "dynsrc", "codebase", "archive", "manifest"})
_LOADING_NAMES = "|".join(sorted(_RESOURCE_ATTRIBUTES | {
    "href", "data", "style", "srcdoc", "content", "to", "from", "by", "values"}))
_MAY_LOAD = re.compile(rf"<style|(?:{_LOADING_NAMES})\s*=", re.I)
"""Found in any HTML that loads a resource: an attribute the scan looks at given a value
(html.parser takes a name as written, lower-cased: the name's text then ``=``), or a style
sheet. Markup without it (most chapters without links or pictures) is not parsed for
``offline``: on a book of 1,000 cited sentences that parse was a tenth of reading it."""
_CSS_URL_FUNCTIONS = frozenset({"url", "src", "image", "image-set", "-webkit-image-set",
                                "cross-fade"})
_ALLOW_LIST = "untrusted mode keeps only the raw HTML on README's allow-list"
_OFFLINE = "editions must work offline: download it into the project and use the local copy"


def _normal(url: str) -> str:
    """The URL as a browser reads it: tabs and newlines dropped, ends trimmed, ``\\`` → ``/``."""
    return re.sub(r"[\t\n\r]", "", url).strip("\x00- ").replace("\\", "/")


def _scheme(url: str) -> str:
    match = _SCHEME.match(_normal(url))
    return match[1].lower() if match else ""


def is_remote(url: str) -> bool:
    """Whether loading ``url`` would reach the network (``//host`` and unknown schemes do)."""
    scheme = _scheme(url)
    return _normal(url).startswith("//") or (bool(scheme) and scheme not in _NOT_NETWORK)


def _local_resource(url: str) -> bool:
    """A resource untrusted mode allows: a relative path, or an image inlined as data."""
    normal = _normal(url)
    return bool(_SAFE_DATA.match(normal)) or (not _scheme(normal) and not normal.startswith("//"))


def _link(url: str) -> bool:
    """A hyperlink untrusted mode allows: http(s), mailto, or relative."""
    return _scheme(url) in _LINK_SCHEMES or not _scheme(url)


def _candidates(srcset: str) -> list[str]:
    """The URLs of a ``srcset`` ("a.png 1x, b.png 2x")."""
    return [part.split()[0] for part in srcset.split(",") if part.split()]


def _short(text: str) -> str:
    """A URL fit for a one-line message: control characters shown as spaces, cut at 60."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return text if len(text) <= 60 else text[:57] + "…"


@dataclass(frozen=True)
class Finding:
    """Something in a fragment of raw HTML: a removal (untrusted) or a remote resource."""

    line: int
    """1-based line in the fragment."""
    col: int
    """0-based column in that line (the parser's; ``needle`` finds the exact one)."""
    needle: str
    """Text to look for in the source line to place the finding exactly."""
    message: str


def _css_urls(tokens: list[Any]) -> Iterator[Any]:
    """The token of every URL in tinycss2 component values (its ``value`` the URL):
    ``url()``, ``image-set("…")`` and kin, nested blocks and functions included (tinycss2
    has decoded escapes such as ``\\75 rl(``)."""
    for token in tokens:
        if token.type == "url":
            yield token
        elif token.type == "function":
            if token.lower_name in _CSS_URL_FUNCTIONS:
                yield from (argument for argument in token.arguments
                            if argument.type == "string")
            yield from _css_urls(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            yield from _css_urls(token.content)


def _rule_urls(node: Any) -> list[Any]:
    """The tokens of the URLs a parsed CSS rule or declaration loads (an ``@import``'s
    target too)."""
    if node.type == "declaration":
        return list(_css_urls(node.value))
    urls = list(_css_urls([*node.prelude, *(node.content or [])]))
    if node.type == "at-rule" and node.lower_at_keyword == "import":
        urls += [token for token in node.prelude if token.type == "string"]
    return urls


def stylesheet_urls(css: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, URL) of each resource a stylesheet loads, read as a browser and the
    PDF engine read it: for ``confine``'s check of the project's stylesheets, which must
    see ``image-set("…")`` and an escaped ``u\\72 l(`` as the HTML edition's readers will."""
    import tinycss2  # here, not at import (see the docstring)
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "error":
            yield from ((token.source_line, token.source_column, token.value)
                        for token in _rule_urls(rule))


def css_declarations(css: str) -> Iterator[tuple[str, str, str]]:
    """Each declaration of a stylesheet as (its rule's selectors, the property's name in
    lower case, the value as written, without ``!important``), in order, the rules inside
    ``@media``/``@supports`` included: for the book's own readers of its stylesheets
    (``glyphs``), which need tinycss2's reading of comments, strings and nesting, not
    these checks."""
    import tinycss2  # here, not at import (see the docstring)
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            selectors = tinycss2.serialize(rule.prelude).strip()
            for node in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                       skip_whitespace=True):
                if node.type == "declaration":
                    yield selectors, node.lower_name, tinycss2.serialize(node.value).strip()
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") \
                and rule.content is not None:
            yield from css_declarations(tinycss2.serialize(rule.content))


class _Cleaner(HTMLParser):
    """Runs raw HTML through the allow-list (untrusted) or the remote-resource scan.

    One instance per run of raw HTML that belongs together (an HTML block, or the
    inline tags of one paragraph): what an element hides (``<script>…</script>``)
    can span the run's fragments, so ``skipping`` says whether the text between
    them goes too.
    """

    def __init__(self, untrusted: bool):
        super().__init__(convert_charrefs=True)
        self.untrusted = untrusted
        self.out: list[str] = []
        self.findings: list[Finding] = []
        self.begin()

    def begin(self) -> None:
        """Start a new run: nothing is being skipped."""
        self.skipping, self.depth = "", 0
        self.style: list[str] | None = None
        """A kept ``<style>`` being read: its start tag, then its CSS."""

    def fragment(self, text: str) -> tuple[str, list[Finding]]:
        """``text`` cleaned (untrusted; as written otherwise) and what was found in it."""
        self.reset()
        self.out, self.findings = [], []
        self.feed(text)
        self.close()
        if self.style is not None:  # <style> opened but not closed here: its CSS is text
            self.style = None
            self._remove_element("style", self.getpos())
        cleaned = "".join(self.out)
        if text.endswith("\n") and not cleaned.endswith("\n"):
            cleaned += "\n"
        return (cleaned if self.untrusted else text), self.findings

    def _found(self, where: tuple[int, int], needle: str, message: str) -> None:
        self.findings.append(Finding(where[0], where[1], needle, message))

    def _removed(self, where: tuple[int, int], needle: str, message: str) -> None:
        self._found(where, needle, f"{message} — {_ALLOW_LIST}")

    # — the parser's events; comments, doctypes and processing instructions are dropped —

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping:
                self.depth -= 1
            if not self.depth:
                self.skipping = ""
        elif self.style is not None and tag == "style":
            self.out.append("".join(self.style) + "</style>")
            self.style = None
        elif tag in ELEMENTS and self.untrusted:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.in_style():
            css = self._style_sheet(data)
            if self.style is not None:
                self.style.append(css)
        elif self.untrusted:  # trusted mode only scans: its output is the input
            self.out.append(html.escape(data, quote=False))

    # — elements and attributes —

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.skipping:
            if tag == self.skipping and not closed:
                self.depth += 1
            return
        where = self.getpos()
        self._indirect(tag, {name: value or "" for name, value in attrs}, where)
        kept = [(name, new) for name, value in attrs
                if (new := self._attribute(tag, name, value or "", where)) is not None]
        if not self.untrusted:
            return
        if tag not in ELEMENTS or (tag in ("img", "source") and not _has_source(kept)):
            # an img whose src went was reported with it; one that never had any is not yet
            reported = tag in ELEMENTS and _has_source(attrs)
            self._remove_element(tag, where, closed, reported)
            return
        text = f"<{tag}" + "".join(f' {name}="{html.escape(value)}"' for name, value in kept)
        if tag == "style":
            self.style = [text + ">"]
        else:
            self.out.append(text + (" />" if tag in VOID_ELEMENTS else ">"))

    def _indirect(self, tag: str, values: dict[str, str], where: tuple[int, int]) -> None:
        """What an element makes the page load besides its resource attributes: a refresh's
        target, the URLs an SVG animation gives an ``href``, an iframe's ``srcdoc`` page
        (each reported as the mode says; untrusted mode removes all three elements)."""
        if tag == "meta" and (refresh := _refresh_target(values)):
            self._url_kept(where, refresh, removed="", judged=False,
                           found=f"<meta http-equiv=\"refresh\"> sends readers to "
                                 f"'{_short(refresh)}' on the network — editions must work "
                                 "offline: link to it instead (<a href>)")
        if tag in ("set", "animate") and values.get("attributename") in ("href", "xlink:href"):
            for url in _animated(values):
                self._url_kept(where, url, removed="", judged=False,
                               found=f"<{tag}> loads '{_short(url)}' from the network — "
                                     f"{_OFFLINE}")
        if "srcdoc" in values and not self.untrusted:
            _, findings = _Cleaner(untrusted=False).fragment(values["srcdoc"])
            self.findings += [Finding(where[0], where[1], found.needle,
                                      f"<{tag} srcdoc>: {found.message}") for found in findings]

    def _remove_element(self, tag: str, where: tuple[int, int], closed: bool = False,
                        reported: bool = False) -> None:
        """Drop ``tag`` (and what it hides); ``reported``: the attribute removed said so."""
        hides = tag in DROPPED_WITH_CONTENT and not closed and tag not in VOID_ELEMENTS
        if hides:
            self.skipping, self.depth = tag, 1
        if not reported:
            content = " and its content" if hides else ""
            self._removed(where, f"<{tag}", f"removed <{tag}>{content}")

    def _attribute(self, tag: str, name: str, value: str, where: tuple[int, int]) -> str | None:
        """The attribute's value to keep, or None; a removal or a remote resource reported."""
        if name == "style":
            return self._style_attribute(tag, value, where)
        if self._resource(tag, name):
            return value if self._resource_urls(tag, name, value, where) else None
        if not self.untrusted or tag not in ELEMENTS:
            return value
        if not _NAME.match(name):  # html.parser takes quotes and "<" into names; browsers too
            self._removed(where, name, f"removed the malformed attribute {_short(name)!r} "
                          f"from <{tag}>")
        elif name.startswith("on"):
            self._removed(where, name, f"removed the {name}= event handler from <{tag}>")
        elif name in ("href", "cite") and not _link(value):
            self._removed(where, value, f"removed {name}=\"{_short(value)}\" from <{tag}> "
                          "(not an http, mailto or relative link)")
        elif name in GLOBAL_ATTRIBUTES or name in ELEMENTS[tag] or name.startswith(
                ("aria-", "data-")):
            return value
        else:
            self._removed(where, name, f"removed {name}= from <{tag}> (not on the allow-list)")
        return None

    @staticmethod
    def _resource(tag: str, name: str) -> bool:
        """Whether attribute ``name`` of ``tag`` is loaded with the page."""
        if name in ("href", "xlink:href"):
            return tag not in ("a", "area")
        return name in _RESOURCE_ATTRIBUTES or (name == "data" and tag == "object")

    def _resource_urls(self, tag: str, name: str, value: str, where: tuple[int, int]) -> bool:
        """Whether a resource attribute stays; remote URLs reported as the mode says."""
        urls = _candidates(value) if name.endswith("srcset") else [value]
        return all(self._url_kept(
            where, url, judged=tag in ELEMENTS,
            removed=f"removed <{tag} {name}=\"{_short(url)}\"> "
                    f"({'a remote resource' if is_remote(url) else 'not a file in the project'})",
            found=f"<{tag} {name}> loads '{_short(url)}' from the network — {_OFFLINE}")
            for url in urls)

    def _url_kept(self, where: tuple[int, int], url: str, *, removed: str, found: str,
                  judged: bool = True) -> bool:
        """Whether what loads URL stays: untrusted, only a file of the project (where
        JUDGED), else removed with REMOVED; trusted, a remote one is reported with FOUND."""
        if self.untrusted and judged and not _local_resource(url):
            self._removed(where, url, removed)
            return False
        if not self.untrusted and is_remote(url):
            self._found(where, url, found)
        return True

    # — CSS —

    def _style_attribute(self, tag: str, value: str, where: tuple[int, int]) -> str | None:
        """A ``style=`` without the declarations that load (untrusted), None if none stay."""
        import tinycss2  # here, not at import: most chapters have no CSS (see the docstring)
        declarations = tinycss2.parse_blocks_contents(value, skip_comments=True,
                                                      skip_whitespace=True)
        kept = [node for node in declarations if self._css_allowed(node, f"<{tag} style>", where)]
        if not self.untrusted or len(kept) == len(declarations):
            return value
        return "; ".join(node.serialize().strip().rstrip(";") for node in kept) or None

    def in_style(self) -> bool:
        """Whether the last fragment ended inside a ``<style>`` element."""
        return self.cdata_elem == "style"  # type: ignore[attr-defined]

    def inline_style(self, css: str) -> list[Finding]:
        """What the CSS text between inline ``<style>`` and ``</style>`` tags loads."""
        self.findings = []
        self._style_sheet(css)
        return self.findings

    def _style_sheet(self, css: str) -> str:
        """A ``<style>`` element's CSS: checked, and in untrusted mode without what loads."""
        where = self.getpos()
        import tinycss2
        rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
        kept = [rule for rule in rules if self._css_allowed(rule, "<style>", where, css)]
        text = "\n".join(rule.serialize() for rule in kept)
        # "</style" inside would end the element early in a browser: CSS escapes "<"
        return "\n" + text.replace("<", "\\3c ") + "\n" if text else ""

    def _css_allowed(self, node: Any, context: str, where: tuple[int, int],
                     sheet: str | None = None) -> bool:
        """Whether a CSS rule or declaration stays; each URL it loads reported as the mode says."""
        placed = _css_place(where, node, sheet)
        if node.type == "error":
            if self.untrusted:
                self._removed(placed, context, f"removed CSS that cannot be read "
                              f"({node.message}) from {context}")
            return not self.untrusted
        if self.untrusted and node.type == "at-rule" and node.lower_at_keyword == "import":
            self._removed(placed, "@import", f"removed @import from {context}")
            return False
        return all(self._url_kept(
            placed, url, removed=f"removed CSS that loads '{_short(url)}' from {context}",
            found=f"CSS in {context} loads '{_short(url)}' from the network — {_OFFLINE}")
            for url in (token.value for token in _rule_urls(node)))


def _css_place(where: tuple[int, int], node: Any, sheet: str | None) -> tuple[int, int]:
    """A CSS node's place in the fragment: ``where`` the CSS starts, the node's own line."""
    if sheet is None or not getattr(node, "source_line", None):
        return where
    line = where[0] + node.source_line - 1
    return line, (where[1] if node.source_line == 1 else 0) + node.source_column - 1


def _refresh_target(values: dict[str, str]) -> str:
    """Where a ``<meta http-equiv="refresh" content="5; url=…">`` sends the reader when
    the page opens (no click: as good as a load), else ""."""
    if values.get("http-equiv", "").strip().lower() != "refresh":
        return ""
    target = re.split(r"[;,]", values.get("content", ""), maxsplit=1)[1:]
    url = re.sub(r"^\s*url\s*=\s*", "", target[0], flags=re.I) if target else ""
    return url.strip().strip("\"'")


def _animated(values: dict[str, str]) -> list[str]:
    """The URLs an SVG ``<set>`` or ``<animate>`` of an ``href`` gives it (``to``, ``from``,
    ``by``, and ``values`` separated by ";")."""
    urls = [values.get(name, "") for name in ("to", "from", "by")]
    urls += values.get("values", "").split(";")
    return [url.strip() for url in urls if url.strip()]


def _has_source(attrs: Sequence[tuple[str, str | None]]) -> bool:
    return any(name in ("src", "srcset") for name, _ in attrs)


def check(tokens: list[Any], path: Path, lines: list[str], untrusted: bool) -> list[Diagnostic]:
    """A chapter's raw HTML tokens (markdown-it's, changed in place): cleaned in untrusted
    mode, each removal a warning returned; in trusted mode kept, each remote resource an
    error (``ManuscriptError`` with them all)."""
    cleaner = _Cleaner(untrusted)
    severity = "warning" if untrusted else "error"
    found: list[Diagnostic] = []
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = _inline(cleaner, token, path, lines, found, severity)
        elif token.type == "html_block":  # ```{=html} blocks too: the reader makes them these
            first = token.map[0] if token.map else 0
            cleaner.begin()
            token.content, findings = cleaner.fragment(token.content)
            found += [_diagnostic(f, path, lines, first, severity) for f in findings]
    if found and not untrusted:
        raise ManuscriptError(found)
    return found


def offline(body: str, path: Path, lines: list[str]) -> None:
    """The net under ``check``: a chapter as rendered loads nothing from the network.

    ``check`` sees raw HTML only; markup made from Markdown (an attribute block's
    ``style="…url(…)"``, a construct yet to come) is checked here, in both modes, each
    remote resource an error at the place its URL is written in the chapter.
    """
    if not _MAY_LOAD.search(body):
        return
    _, findings = _Cleaner(untrusted=False).fragment(body)
    if findings:
        raise ManuscriptError([_written(finding, path, lines) for finding in findings])


def _written(finding: Finding, path: Path, lines: list[str]) -> Diagnostic:
    """A finding in rendered HTML at the first place its needle is written in the chapter."""
    for number, line in enumerate(lines):
        if (column := line.find(finding.needle)) >= 0:
            return Diagnostic(SourcePos(path, number + 1, column + 1), finding.message)
    return Diagnostic(SourcePos(path), finding.message)


def _inline(cleaner: _Cleaner, inline: Any, path: Path, lines: list[str],
            found: list[Diagnostic], severity: str) -> list[Any]:
    """A paragraph's children with its raw tags cleaned, and what a removed element hid."""
    cleaner.begin()
    if not cleaner.in_style() and all(child.type != "html_inline" for child in inline.children):
        return inline.children  # no raw HTML, no style sheet open: nothing to clean (most)
    line = inline.map[0] if inline.map else 0
    kept = []
    for child in inline.children:
        if child.meta.get(MADE_FROM_MARKDOWN):
            kept.append(child)
            continue
        if child.type == "html_inline":
            breaks = child.content.count("\n")
            child.content, findings = cleaner.fragment(child.content)
            found += [_diagnostic(f, path, lines, line, severity) for f in findings]
            line += breaks
        elif child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "text" and cleaner.in_style() and not cleaner.skipping:
            findings = cleaner.inline_style(child.content)  # <style>…</style> in a paragraph
            found += [_diagnostic(f, path, lines, line, severity) for f in findings]
        if not cleaner.skipping or child.type == "html_inline":
            kept.append(child)
    return kept


def _diagnostic(finding: Finding, path: Path, lines: list[str], first: int,
                severity: str) -> Diagnostic:
    """A finding at its place in the chapter: the needle's column where it can be found."""
    index = first + finding.line - 1
    for number in range(index, min(index + 20, len(lines))):
        column = lines[number].find(finding.needle, finding.col if number == index else 0)
        if column < 0 and number == index:
            column = lines[number].find(finding.needle)
        if column >= 0:
            return Diagnostic(SourcePos(path, number + 1, column + 1), finding.message, severity)
    return Diagnostic(SourcePos(path, index + 1, finding.col + 1), finding.message, severity)
