"""Pandoc Markdown rules markdown-it lacks, one construct per module.

``kzpublish.reader`` is the markdown-it-py adapter: it builds the parser and plugs these
rules in. The rules here import no markdown-it module: they work on the parser states
and tokens they are handed (``state.push``, ``token.attrSet``…), so markdown-it stays
imported in one place. Pandoc's manual is the spec for each construct; what a rule
cannot render it drops with a warning (``findings``), never silently.
"""
