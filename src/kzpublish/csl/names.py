"""Name particles as citeproc-js reads and prints them (the oracle's PARTICLES).

* ``parse_particles`` — citeproc-py takes family "de Gaulle" and given "Jean de la" as
  written; citeproc-js, when the data give no particles of their own, moves leading
  lower-case words of the family name into ``non-dropping-particle`` and trailing ones
  of the given name into ``dropping-particle``: "Gaulle, Charles de", sorted under G —
  also a particle written against the name ("d’Alembert", "al-One"); a family name in
  double quotes is printed as written, without them ('"van Happel"');
* ``parse_suffix`` — a suffix written in the given name after a comma ("John, III"; "!"
  after the comma asks a comma before it, as ``comma-suffix``);
* ``typographic_apostrophes`` — "'t Horvath" as "’t Horvath", as citeproc-js prints it;
* ``_name_process`` — in a short form with ``name-as-sort-order`` and
  demote-non-dropping-particle="display-and-sort" (the default), citeproc-js puts the
  particle after the family name, joined by the sort separator (GOST's "Berg van der");
  citeproc-py prints "van der Berg";
* ``_sort_key`` (PARTICLE_SORT, found outside the oracle's six styles) — a name in a
  ``cs:sort`` key is keyed family first, its particles after the given name, unless
  demote-non-dropping-particle is "never".
* ``_east_asian`` — a name written in Chinese, Japanese or Korean script is printed, as
  citeproc-js prints it, family name first and given name after it with no space, in
  every form and order ("我妻栄", not "栄 我妻"), never initialised (the CSL suite's
  name_AsianGlyphs).

How a list of names is then rendered is ``namelist``'s, the layer these wrap.

Tested in tests/unit/test_csl_text.py, test_csl_names.py and (PARTICLE_SORT)
test_csl_rendering.py. Applied on import by the package's ``__init__``.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc.model import Name as NameElement
from citeproc.source import Name
from citeproc.source.json import CiteProcJSON

from . import namelist

# A family name's leading word and the spaces after it. citeproc-js also splits "d’Alembert"
# at the apostrophe; citeproc-py would print the parts with a space between, so such names
# stay whole.
_FAMILY_PARTICLE = re.compile(r"([^ ]+) +")
_GIVEN_PARTICLE = re.compile(r" +([^ ]+)$")
_ATTACHED_PARTICLE = re.compile(r"([^\W\d_]+[’-])(?=[^\W\d_])")
"""A particle written against the family name: "d’Alembert", "al-One"."""
_APOSTROPHES = ("’", "'")
_STRAIGHT_APOSTROPHE = re.compile("'|&#x27;")
_QUOTES = ('"', "&quot;")


def _is_particle(word: str) -> bool:
    """A particle starts (after apostrophes and hyphens) with a lower-case letter."""
    letters = word.lstrip("-'ʻ’")
    return bool(letters) and letters[0] != letters[0].upper()


def _family_particles(family: str) -> tuple[str, str]:
    """("van der", "Berg") from "van der Berg"; ("d’", "Alembert") from "d’Alembert",
    ("al-", "One") from "al-One"; ("de’ ", "Frinkle") from "de’ Frinkle" (the space after
    a particle ending in an apostrophe stays: it is not written against the name)."""
    rest, particles = family, []
    while (match := _FAMILY_PARTICLE.match(rest)) and match.end() < len(rest):
        if not _is_particle(match[1]):
            break
        particles.append(match[1])
        rest = rest[match.end():]
    attached = _ATTACHED_PARTICLE.match(rest)
    if attached and _is_particle(attached[1]):
        return " ".join([*particles, attached[1]]), rest[attached.end():]
    spaced = " " if particles and particles[-1].endswith(_APOSTROPHES) else ""
    return " ".join(particles) + spaced, rest


def _given_particles(given: str) -> tuple[str, str]:
    """("Jean", "de la") from "Jean de la"."""
    rest = given
    particles: list[str] = []
    while (match := _GIVEN_PARTICLE.search(rest)) and _is_particle(match[1]):
        particles.insert(0, match[1])
        rest = rest[:match.start()]
    return rest, " ".join(particles)


def parse_particles(name: Any) -> Any:
    """Split particles out of family and given names as citeproc-js does (in place).

    Only when the data set no non-dropping particle, have both names, and the family
    is not quoted: citeproc-js's way of saying "print as written", whose quotes it drops
    ('"van Happel"' prints van Happel, sorted under V).
    """
    family, given = name.get("family"), name.get("given")
    if family and _quoted(str(family)):
        name["family"] = _unquoted(str(family))
        return name
    if not family or not given or name.get("non-dropping-particle"):
        return name
    particle, rest = _family_particles(str(family))
    if particle:
        name["non-dropping-particle"], name["family"] = particle, rest
    given_rest, dropping = _given_particles(str(given))
    if dropping and given_rest:
        name["given"], name["dropping-particle"] = given_rest, dropping
    return name


def _quoted(text: str) -> bool:
    return any(text.startswith(quote) and text.endswith(quote) and len(text) > 2 * len(quote)
               for quote in _QUOTES)


def _unquoted(text: str) -> str:
    for quote in _QUOTES:
        if text.startswith(quote) and text.endswith(quote):
            return text[len(quote):-len(quote)]
    return text


def parse_suffix(name: Any) -> Any:
    """A suffix written in the given name after a comma, as citeproc-js reads it (in
    place): "John, III" is John with suffix III; "John,! Jr." puts a comma before the
    suffix ("John Doe, Jr."), as ``comma-suffix`` does."""
    given = str(name.get("given") or "")
    if "," not in given or name.get("suffix") or not name.get("family"):
        return name
    given, _, suffix = given.partition(",")
    suffix = suffix.strip()
    if suffix.startswith("!"):
        suffix = suffix[1:].strip()
        name["comma-suffix"] = True
    if given.strip() and suffix:
        name["given"], name["suffix"] = given.strip(), suffix
    return name


def typographic_apostrophes(name: Any) -> Any:
    """Straight apostrophes in a name as typographic ones, as citeproc-js prints them
    (in place): "'t Horvath" → "’t Horvath"; the typography stage would make the leading
    one an opening quote ("‘t")."""
    for part, value in name.items():
        if isinstance(value, str):
            name[part] = _STRAIGHT_APOSTROPHE.sub("’", value)
    return name


_original_parse_names = CiteProcJSON.parse_names


_EAST_ASIAN = namelist.CJK


def _east_asian(name: Any) -> Any:
    """A name in an East Asian script as one piece: family then given, no space between."""
    family, given = str(name.get("family") or ""), str(name.get("given") or "")
    if not (_EAST_ASIAN.search(family) or _EAST_ASIAN.search(given)) or "literal" in name:
        return name
    return Name(literal=family + given)


def _parse_names(self: Any, json_data: Any) -> list[Any]:
    """The names of a variable, with what citeproc-js reads into them (particles,
    suffixes, quotes, apostrophes) and ``comma-suffix`` kept (citeproc-py knows no such
    key and would warn about it)."""
    plain = [{key: value for key, value in name.items() if key != "comma-suffix"}
             if isinstance(name, dict) else name for name in json_data]
    names = _original_parse_names(self, plain)
    for name, data in zip(names, json_data, strict=True):
        if isinstance(data, dict) and data.get("comma-suffix"):
            name["comma-suffix"] = True
    return [_east_asian(parse_particles(parse_suffix(typographic_apostrophes(name))))
            for name in names]


_original_name_process = namelist.process


def _demoted(name: Any, separator: str) -> Any:
    """A copy of ``name`` whose family carries its particle after it ("Berg van der")."""
    particle = name.get("non-dropping-particle")
    if not particle or not name.get("family"):
        return name
    copy = Name(**{key: value for key, value in name.items()
                   if key != "non-dropping-particle"})
    copy["family"] = f"{name['family']}{separator}{particle}"
    return copy


def _name_process(self: Any, item: Any, variable: Any, context: Any = None,
                  sort_options: Any = None, **kwargs: Any) -> Any:
    """Short names in sort order demote their particle; a sort key keys names as
    citeproc-js does (see the module's docstring)."""
    def option(name: str) -> Any:
        return self.get_option(name, context, sort_options)

    if sort_options is not None:
        return _sort_key(self, item, variable, context, sort_options, **kwargs)
    order = option("name-as-sort-order")
    names = item.reference.get(variable) if isinstance(variable, str) else None
    if (option("form") != "short" or order not in ("all", "first")
            or str(option("demote-non-dropping-particle")) != "display-and-sort"
            or not names):
        return _original_name_process(self, item, variable, context, sort_options, **kwargs)
    separator = str(option("sort-separator"))
    demoted = [_demoted(name, separator) if order == "all" or index == 0 else name
               for index, name in enumerate(names)]
    return _rendered_as(demoted, self, item, variable, context, sort_options, **kwargs)


def _sort_key(self: Any, item: Any, variable: Any, context: Any, sort_options: Any,
              **kwargs: Any) -> Any:
    """A name in a ``cs:sort`` macro key as citeproc-js keys it (PARTICLE_SORT).

    citeproc-js (``_renderOnePersonalName`` with ``sort_key_flag``) keys a name as its
    family name, then given name, dropping and non-dropping particle — unless
    demote-non-dropping-particle is "never" — its parts parted by a mark that sorts
    before any letter, whatever the style's sort-separator. citeproc-py keys a name as
    the style displays it: with "sort-only" (annales, archaeonautica, current-neurology)
    "van der Berg" sorted under V, a short form kept its particle in front, and the
    sort-separator ", " sorted "Berg-Smith, A" before "Berg, A" (a hyphen sorts before a
    comma in ICU). CSL 1.0.2 agrees: "sort-only" demotes the particle in sort keys.
    """
    sort_options = {**sort_options, "sort-separator": " "}
    if str(self.get_option("demote-non-dropping-particle", context, sort_options)) == "never":
        return _original_name_process(self, item, variable, context, sort_options, **kwargs)
    sort_options["demote-non-dropping-particle"] = "display-and-sort"
    names = item.reference.get(variable) if isinstance(variable, str) else None
    if self.get_option("form", context, sort_options) != "short" or not names:
        return _original_name_process(self, item, variable, context, sort_options, **kwargs)
    return _rendered_as([_demoted(name, " ") for name in names], self, item, variable,
                        context, sort_options, **kwargs)


def _rendered_as(names: list[Any], element: Any, item: Any, variable: str, context: Any,
                 sort_options: Any, **kwargs: Any) -> Any:
    """citeproc-py's rendering of the names variable as if the reference held NAMES."""
    held = item.reference[variable]
    item.reference[variable] = names
    try:
        return _original_name_process(element, item, variable, context, sort_options,
                                      **kwargs)
    finally:
        item.reference[variable] = held


CiteProcJSON.parse_names = _parse_names
NameElement.process = _name_process
