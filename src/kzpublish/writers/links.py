"""Cross-document links: a ``#id`` written in one chapter may live in another file.

The resolved ``Book`` links every citation to ``#ref-KEY`` and footnote calls to
``#fn…`` as if the book were one document (which the PDF is). Editions split
into files (HTML pages, EPUB documents) pass their documents here, and every
fragment that points into another file gets that file's name.
"""

from __future__ import annotations

import re

_ID = re.compile(r'\sid="([^"]+)"')
_FRAGMENT_HREF = re.compile(r'href="#([^"]+)"')


def homes(documents: dict[str, str]) -> dict[str, str]:
    """Every id → the name of the document that defines it (the first, if several do)."""
    home: dict[str, str] = {}
    for name, html in documents.items():
        for ident in _ID.findall(html):
            home.setdefault(ident, name)
    return home


def resolve(documents: dict[str, str]) -> dict[str, str]:
    """Rewrite ``href="#id"`` to ``href="file#id"`` when the id lives in another document."""
    home = homes(documents)

    def rewrite(name: str, html: str) -> str:
        def fix(match: re.Match[str]) -> str:
            target = home.get(match[1], name)
            return match[0] if target == name else f'href="{target}#{match[1]}"'
        return _FRAGMENT_HREF.sub(fix, html)

    return {name: rewrite(name, html) for name, html in documents.items()}


def ids(html: str) -> set[str]:
    """Every id defined in a document."""
    return set(_ID.findall(html))
