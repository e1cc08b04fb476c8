"""cs:name's list of names, rendered as CSL 1.0.2 and citeproc-js render it.

This replaces citeproc-py 0.11's ``Name.process`` as the bottom layer the other name
mends (``names``, ``disambiguation``) wrap. citeproc-py's fell short of CSL in ways the
CSL test suite shows (tests/conformance: name_*, magic_NameSuffix*, etal_*):

* name parts: a particle ending in an apostrophe or hyphen joins the next part ("d’Jones",
  "al-One"); a suffix follows the family name, after a comma when the name says
  ``comma-suffix`` ("Doe, Jr.", not "John,! Jr. Doe"); a name with a given name only
  prints it whole ("Banksy", not "B.");
* cs:name-part: its formatting applies to each part it governs separately — "family" to
  the family name and the non-dropping particle, "given" to the given name and the
  dropping particle (CSL 1.0.2; "van DER MEER" when only the family is upper-cased) —
  and its affixes enclose the parts printed with it ("(de La Fontaine III)");
* the list: names parted by the style's delimiter also before "and" (citeproc-py wrote
  ", "); ``delimiter-precedes-last`` and ``delimiter-precedes-et-al`` "never" and
  "after-inverted-name"; ``et-al-use-first="0"`` prints no names; et-al abbreviation
  only when et-al-use-first is set along with et-al-min (the citation's does not reach
  the bibliography); ``et-al-subsequent-min``/``-use-first`` in a cite that is not the
  item's first;
* BibTeX's "and others" (a last name "others"): "et al." after the names before it, as
  pandoc's citeproc prints it (citeproc-js would print the word);
* ``form="count"``: the number of names the list would print, as a number the names of
  several variables add up to (citeproc-py made "3" and "2" into "32");
* ``initialize``: given names initialised as citeproc-js does — a word written with a
  period is an abbreviation kept whole ("Ph.", "ME." stay), capitals after the first
  letter kept ("TSerendorjiin" → "Ts."), a lower-case word after a hyphen dropped
  ("Guo-ping" → "G."); with ``initialize="false"`` only initials are normalised.

Tested in tests/unit/test_csl_names.py. Applied on import by ``names``.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc.model import If, Name
from citeproc.string import join

_JOINING = ("’", "'", "&#x27;", "-")
"""A particle ending in one of these is written against the next part ("d’Jones")."""

_INITIAL = re.compile(r"([^\W\d_])([^\W\d_]*)(\.?)")
"""A given-name word: its first letter, the letters after it, and a period after them."""
_INITIALIZABLE = re.compile(r"(?:<[^>]+>)*[^\W\d_]")
CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
"""Han, kana, Hangul and their punctuation: scripts written without spaces between words,
and whose names are written family first (``names``)."""
_SEPARATOR = re.compile(r"((?:[-\s]*</?(?:span\b[^>]*|i|b|sc|sub|sup)>[-\s]*)+|[-\s]+)")
"""Between the words of a given name: spaces, hyphens and rich-text tags (tags are kept)."""
_TAGS = re.compile(r"-*<[^>]+>-*")


# --- initialising given names -------------------------------------------------------------

def initialize(given: str, mark: str, *, normalize_only: bool = False,
               hyphen: bool = True) -> str:
    """GIVEN with its names initialised and MARK after each initial ("John M.E." →
    "J. M. E." with ". ").

    A word written with a period ("Ph.", "ME.") is an abbreviation and stays whole; a
    single capital is an initial. ``normalize_only`` (``initialize="false"``): full names
    stay, only abbreviations and initials take MARK. ``hyphen`` false (the style's
    initialize-with-hyphen="false"): "Jean-Paul" is two names, "J. P.".
    """
    if not given or not _INITIALIZABLE.match(given):
        return given
    words, separators = _given_words(given if hyphen else given.replace("-", " "))
    if normalize_only:
        pieces = _normalized(words, separators, mark)
    else:
        pieces = _initialized(words, separators, mark)
    text = re.sub(r"\s*-\s*", "-", "".join(pieces).rstrip())
    return re.sub(r"\s+", " ", text).replace("\u2013", "-")


def _given_words(given: str) -> tuple[list[str], list[str]]:
    """The words of GIVEN and the separators after each but the last.

    A period ends a word; a hyphen before a lower-case letter ("Guo-ping") binds the
    two into one word, as citeproc-js reads it."""
    text = re.sub(r"\s+", " ", re.sub(r"\s*-\s*", "-", given.strip()))
    text = re.sub(r"-(?=[a-z])", "\u2013", text)
    text = re.sub(r"\.(?=\S)", ". ", text)
    parts = _SEPARATOR.split(text)
    return parts[0::2], parts[1::2]


def _merged(separator: str, mark: str) -> str:
    """MARK in place of SEPARATOR, with the separator's tags kept after the mark's text
    ("</b> " and ". " give ".</b> ")."""
    tags = "".join(_TAGS.findall(separator))
    if not tags:
        return mark
    text = mark.rstrip()
    return text + tags + mark[len(text):]


def _tags_only(separator: str) -> str:
    """The tags of SEPARATOR, or SEPARATOR itself when it has none."""
    tags = "".join(re.findall(r"<[^>]+>", separator))
    return tags or separator


def _normalized(words: list[str], separators: list[str], mark: str) -> list[str]:
    """``initialize="false"``: abbreviations and initials with MARK, other words as written."""
    abbreviated = [(len(word) > 1 and word.endswith(".")) or (len(word) == 1 and word.isupper())
                   for word in words]
    words = [word[:-1] if word.endswith(".") and len(word) > 1 else word for word in words]
    pieces = []
    for index, word in enumerate(words):
        last = index == len(words) - 1
        if not abbreviated[index]:
            pieces += [word] if last else [word, separators[index]]
        elif last:
            pieces.append(word + mark)
        else:
            separator = _tags_only(separators[index]) + ("" if abbreviated[index + 1] else " ")
            if len(words[index + 1]) > 1:  # MARK, then the separator (a space before a name)
                pieces += [word, mark + separator]
            else:  # MARK stands for the separator before an initial
                pieces += [word, _merged(separator, mark)]
    return pieces


def _initialized(words: list[str], separators: list[str], mark: str) -> list[str]:
    """``initialize="true"``: each name as its initial (capitals after the first letter
    kept: "TSerendorjiin" → "Ts"), abbreviations whole, each with MARK; lower-case words
    ("de") stay as written."""
    pieces = []
    for index, word in enumerate(words):
        last = index == len(words) - 1
        separator = "" if last else separators[index]
        found = _INITIAL.match(word)
        if not word:
            pieces.append(separator)
            continue
        if found is None or not found[1].isupper():
            pieces += [" " + word, separator]
            continue
        first, rest, period = found.groups()
        if rest and period:  # an abbreviation: "Ph.", "ME."
            initial = first + rest
        else:
            kept = rest[:next((at for at, c in enumerate(rest) if not c.isupper()), len(rest))]
            initial = first + (kept.lower() if len(kept) < len(rest) else "")
        if "-" in separator:
            pieces += [initial, _merged(separator.replace("-", "", 1), mark) + "-"]
        else:
            pieces += [initial, _merged(separator, mark)]
    return pieces


# --- one name -----------------------------------------------------------------------------

class _Parts:
    """How one cs:name prints the parts of a name: the cs:name-part elements, if any."""

    def __init__(self, element: Any):
        found = {part.get("name"): part for part in element.findall("cs:name-part",
                                                                      element.nsmap)}
        self.given = found.get("given")
        self.family = found.get("family")

    @staticmethod
    def formatted(part: Any, text: str | None) -> Any:
        """TEXT with the name-part's formatting and text-case, without its affixes."""
        if not text or part is None:
            return text.rstrip() if text else None
        return part.format(part.case(text.rstrip()))

    @staticmethod
    def enclosed(part: Any, text: Any) -> Any:
        """TEXT within the name-part's affixes."""
        return text if part is None or not text else part.wrap(text)


def _parts(element: Any) -> _Parts:
    """The cs:name's name-parts, found once (``Engine`` keeps every element's proxy alive)."""
    found = element.__dict__.get("_kz_name_parts")
    if found is None:
        found = element.__dict__["_kz_name_parts"] = _Parts(element)
    return found


def _spaced(pieces: list[tuple[str | None, Any]]) -> Any:
    """Pieces (raw text, formatted) parted by spaces; a piece ending in an apostrophe or a
    hyphen (a particle: "d’", "al-") is written against the next one."""
    result: Any = None
    joined = True
    for raw, formatted in pieces:
        if not raw:
            continue
        result = formatted if result is None else \
            result + ("" if joined else " ") + formatted
        joined = raw.endswith(_JOINING)
    return result


def _person(element: Any, parts: _Parts, name: Any, inverted: bool, options: dict[str, Any],
            context: Any) -> Any:
    """One name in the form and order the options ask."""
    given, family, dropping, particle, suffix = name.parts()
    if "literal" in name or not family:
        return parts.formatted(parts.family, family) if family else \
            parts.formatted(parts.given, given)
    if options["form"] == "short":
        return parts.enclosed(parts.family, _spaced([
            (particle, parts.formatted(parts.family, particle)),
            (family, parts.formatted(parts.family, family))]))
    if given and options["initialize-with"] is not None:
        given = element.initialize(given, options["initialize-with"], context)
    shown_given = (given, parts.formatted(parts.given, given))
    shown_dropping = (dropping, parts.formatted(parts.given, dropping))
    shown_particle = (particle, parts.formatted(parts.family, particle))
    shown_family = (family, parts.formatted(parts.family, family))
    if not inverted:
        family_block = _spaced([shown_dropping, shown_particle, shown_family])
        if suffix:
            family_block += (", " if name.get("comma-suffix") else " ") + suffix
        family_block = parts.enclosed(parts.family, family_block)
        return parts.enclosed(parts.given, shown_given[1]) + " " + family_block if given \
            else family_block
    if str(options["demote-non-dropping-particle"]) == "display-and-sort":
        family_block = shown_family[1]
        given_block = _spaced([shown_given, shown_dropping, shown_particle])
    else:
        family_block = _spaced([shown_particle, shown_family])
        given_block = _spaced([shown_given, shown_dropping])
    shown = [parts.enclosed(parts.family, family_block),
             parts.enclosed(parts.given, given_block), suffix]
    return join([text for text in shown if text], options["sort-separator"])


# --- the list -----------------------------------------------------------------------------

_OPTIONS = ("form", "and", "delimiter", "delimiter-precedes-et-al", "delimiter-precedes-last",
            "et-al-use-last", "initialize-with", "name-as-sort-order", "sort-separator",
            "demote-non-dropping-particle")


class _Subsequent:
    """Stands for ``<if position="subsequent">`` when a name list asks the cite's position."""

    @staticmethod
    def get(name: str, default: Any = None) -> Any:
        return "subsequent" if name == "position" else default


def shown(element: Any, item: Any, total: int, context: Any = None,
          sort_options: Any = None) -> tuple[int, bool]:
    """How many of TOTAL names cs:name ELEMENT prints in ITEM's cite, and whether "et al."
    (or the last name) follows them: et-al-min and et-al-use-first, both needed (the
    citation's use-first does not reach the bibliography), or in a cite that is not the
    item's first et-al-subsequent-min and -use-first when the style sets them."""
    def option(name: str) -> Any:
        return element.get_option(name, context, sort_options)

    if not _set(element, "et-al-use-first", context) and not (
            sort_options and "et-al-use-first" in sort_options):
        return total, False  # et-al-min alone abbreviates nothing (citeproc-js)
    minimum, first = option("et-al-min"), option("et-al-use-first")
    cite = vars(item).get("_item", item)  # the cite item itself, not a disambiguation view
    if sort_options is None and _set(element, "et-al-subsequent-min", context) \
            and If._position(_Subsequent(), cite, context)[0]:
        minimum = option("et-al-subsequent-min")
        if _set(element, "et-al-subsequent-use-first", context):
            first = option("et-al-subsequent-use-first")
    if total > 1 and minimum and total >= minimum and first < total:
        return first, True
    return total, False


def _set(element: Any, name: str, context: Any) -> bool:
    """Whether the style sets the name option NAME: on cs:name, the cs:citation or
    cs:bibliography it is in, or cs:style."""
    cache = element.__dict__.setdefault("_kz_options_set", {})
    key = (name, id(context))
    if key not in cache:
        holder = (context if context is not None else element).xpath_search(
            "./ancestor::*[self::cs:citation or self::cs:bibliography][1]")
        cache[key] = any(name in each.attrib for each in [element, *holder[:1],
                                                           element.get_root()])
    return bool(cache[key])


def process(self: Any, item: Any, variable: str, context: Any = None,
            sort_options: Any = None, **kwargs: Any) -> Any:
    """cs:name's rendering of the names of VARIABLE (see the module's docstring)."""
    options = {name: self.get_option(name, context, sort_options) for name in _OPTIONS}
    names = item.reference.get(variable) or []
    if not isinstance(names, list):  # a variable citeproc-py reads as text: no names
        return None
    others = len(names) > 1 and _is_others(names[-1])
    names = names[:-1] if others else names
    count, truncated = shown(self, item, len(names), context, sort_options)
    truncated = truncated or others
    if options["form"] == "count":
        return count
    if count == 0:
        return None
    parts = _parts(self)
    order = options["name-as-sort-order"]
    inverted = [options["form"] == "long" and "literal" not in name and bool(name.get("family"))
                and (order == "all" or (order == "first" and at == 0))
                for at, name in enumerate(names[:count])]
    texts = [_person(self, parts, name, flipped, options, context)
             for name, flipped in zip(names, inverted, strict=False)]
    delimiter = self.get("delimiter", options["delimiter"])
    if truncated:
        return _with_et_al(self, names, texts, inverted, options, context, delimiter)
    return _with_and(self, texts, inverted, options, delimiter)


def _is_others(name: Any) -> bool:
    """BibTeX's "and others" (pandoc reads it as the name "others"): the list goes on
    unnamed, printed as "et al." whatever the style's et-al-min, as pandoc prints it."""
    return str(name.get("literal", "")).strip().lower() == "others" and len(name) == 1


def _precedes(rule: str, count: int, threshold: int, inverted: bool) -> bool:
    """Whether the delimiter goes before "and" or "et al.": contextual (COUNT names at
    least THRESHOLD), always, never, after-inverted-name (the name before is INVERTED)."""
    if rule == "always":
        return True
    if rule == "after-inverted-name":
        return inverted
    return rule == "contextual" and count >= threshold


def _with_and(element: Any, texts: list[Any], inverted: list[bool], options: dict[str, Any],
              delimiter: str) -> Any:
    """The names joined, the last after the "and" term when the style sets ``and``."""
    if options["and"] not in ("text", "symbol") or len(texts) < 2:
        return join([text for text in texts if text], delimiter)
    word = element.get_single_term(name="and") if options["and"] == "text" \
        else element.preformat("&")
    before = delimiter if _precedes(str(options["delimiter-precedes-last"]), len(texts), 3,
                                    inverted[-2]) else " "
    return join(texts[:-1], delimiter) + before + f"{word} " + texts[-1]


def _with_et_al(element: Any, names: list[Any], texts: list[Any], inverted: list[bool],
                options: dict[str, Any], context: Any, delimiter: str) -> Any:
    """The first names, then "et al." (or an ellipsis and the last name: et-al-use-last)."""
    if options["et-al-use-last"] and len(names) >= len(texts) + 2:
        parts = _parts(element)
        order = options["name-as-sort-order"]
        last = _person(element, parts, names[-1], options["form"] == "long" and order == "all",
                       options, context)
        ellipsis = element.unicode_character("horizontal ellipsis")
        return join([*texts, ellipsis + " " + last], delimiter)
    et_al = element.et_al()
    if not et_al:
        return join(texts, delimiter)
    before = delimiter if _precedes(str(options["delimiter-precedes-et-al"]), len(texts), 2,
                                    inverted[-1]) else " "
    if before == " " and CJK.match(re.sub(r"<[^>]+>", "", str(et_al))):
        before = ""  # "Ziggy Zither等" (citeproc-js: no space before a term in such a script)
    return join(texts, delimiter) + before + et_al


def _markup(self: Any, text: Any) -> Any:
    """cs:name's formatting and affixes; a count (``form="count"``) stays a number, for
    cs:names to add up."""
    if isinstance(text, int):
        return text
    return self.wrap(self.format(text)) if text else None



class WithNames:
    """A cite item whose reference gives other names for one variable (what
    disambiguation adds, the persons subsequent-author-substitute marks)."""

    def __init__(self, item: Any, variable: str, names: list[Any]):
        self._item = item
        self.reference = _NamesReference(item.reference, variable, names)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._item, name)

    def __contains__(self, key: object) -> bool:
        return key in self._item

    def __getitem__(self, key: str) -> Any:
        return self._item[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._item.get(key, default)


class _NamesReference:
    def __init__(self, reference: Any, variable: str, names: list[Any]):
        self._reference = reference
        self._variable = variable
        self._names = names

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reference, name)

    def __contains__(self, key: object) -> bool:
        return key in self._reference

    def __getitem__(self, key: str) -> Any:
        return self._names if key == self._variable else self._reference[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._names if key == self._variable else self._reference.get(key, default)


Name.process = process
Name.markup = _markup
