"""Name particles as citeproc-js reads and prints them (the oracle's PARTICLES).

* ``parse_particles`` — citeproc-py takes family "de Gaulle" and given "Jean de la" as
  written; citeproc-js, when the data give no particles of their own, moves leading
  lower-case words of the family name into ``non-dropping-particle`` and trailing ones
  of the given name into ``dropping-particle``: "Gaulle, Charles de", sorted under G.
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

Tested in tests/unit/test_csl_text.py and (PARTICLE_SORT) test_csl_rendering.py. Applied
on import by the package's ``__init__``.
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


def _is_particle(word: str) -> bool:
    """A particle starts (after apostrophes and hyphens) with a lower-case letter."""
    letters = word.lstrip("-'ʻ’")
    return bool(letters) and letters[0] != letters[0].upper()


def _family_particles(family: str) -> tuple[str, str]:
    """("van der", "Berg") from "van der Berg"."""
    rest, particles = family, []
    while (match := _FAMILY_PARTICLE.match(rest)) and match.end() < len(rest):
        if not _is_particle(match[1]):
            break
        particles.append(match[1])
        rest = rest[match.end():]
    return " ".join(particles), rest


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
    is not quoted (citeproc-js's way of saying "print as written").
    """
    family, given = name.get("family"), name.get("given")
    if (not family or not given or name.get("non-dropping-particle")
            or str(family).startswith('"')):
        return name
    particle, rest = _family_particles(str(family))
    if particle:
        name["non-dropping-particle"], name["family"] = particle, rest
    given_rest, dropping = _given_particles(str(given))
    if dropping and given_rest:
        name["given"], name["dropping-particle"] = given_rest, dropping
    return name


_original_parse_names = CiteProcJSON.parse_names


# Han, kana, Hangul and their punctuation: scripts whose names are written family first.
_EAST_ASIAN = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def _east_asian(name: Any) -> Any:
    """A name in an East Asian script as one piece: family then given, no space between."""
    family, given = str(name.get("family") or ""), str(name.get("given") or "")
    if not (_EAST_ASIAN.search(family) or _EAST_ASIAN.search(given)) or "literal" in name:
        return name
    return Name(literal=family + given)


def _parse_names(self: Any, json_data: Any) -> list[Any]:
    return [_east_asian(parse_particles(name))
            for name in _original_parse_names(self, json_data)]


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
