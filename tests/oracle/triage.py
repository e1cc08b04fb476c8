"""Triage of the oracle's differences: which cases differ from citeproc-js, and why.

    .venv/bin/python -m tests.oracle.triage            # report, grouped by cause
    .venv/bin/python -m tests.oracle.triage --write    # also rewrite known.py's table

Each difference gets the causes its symptoms point to (known.CAUSES); a difference no
rule explains is tagged UNEXPLAINED, to be looked at by hand. After fixing a cause, run
the tests: its strict xfails fail (XPASS); rerun this with --write to refresh the table.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from . import harness
from .harness import LANGUAGES, STYLES, Oracle, Rendering, emphasis, reading, text
from .known import CAUSES

KNOWN_PY = Path(__file__).with_name("known.py")
CASE_LABELS = {"eds.", "ed.", "trans.", "interviewer", "ред.", "пер.", "interviewer)"}


def _refs() -> dict[str, dict[str, Any]]:
    return {ref["id"]: ref for ref in harness.references()}


def _given_full(ref: dict[str, Any]) -> list[str]:
    """Given names written out (not initials) of a reference's people."""
    return [part for role in ("author", "editor", "translator", "interviewer", "director")
            for name in ref.get(role, []) for part in name.get("given", "").split()
            if len(part.rstrip(".")) > 1]


def _case_only_changes(e: str, o: str) -> list[tuple[str, str]]:
    """Words that differ only in letter case, aligned by difflib."""
    e_words, o_words = e.split(), o.split()
    changes = []
    matcher = difflib.SequenceMatcher(a=[w.lower() for w in e_words],
                                      b=[w.lower() for w in o_words], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes += [(a, b) for a, b in zip(e_words[i1:i2], o_words[j1:j2], strict=True)
                        if a != b]
    return changes


def _crash_causes(error: BaseException) -> list[str]:
    message = repr(error.__cause__ or error)
    if "parts" in message:
        return ["CRASH_NAME_VARIABLE"]
    if "zip()" in message:
        return ["CRASH_EMPTY_ENTRY"]
    return ["UNEXPLAINED"]


def citation_causes(style: str, lang: str, number: int, js: Rendering, ours: Rendering,
                    note: bool) -> list[str]:
    refs = _refs()
    cluster = harness.clusters(lang)[number - 1]["items"]
    e_html, o_html = js.citations[number - 1], ours.citations[number - 1]
    e, o = text(e_html), text(o_html)
    causes: list[str] = []
    narrative = any(item.get("narrative") for item in cluster)
    if narrative and style == "ieee":
        causes.append("NARRATIVE_NUMERIC")
    if narrative and note and o.endswith(e) and any(
            role != "author" and isinstance(value, list) and value and isinstance(value[0], dict)
            for role, value in refs[cluster[0]["id"]].items()):  # other names: a director
        causes.append("SUPPRESS_AUTHOR_ONE_NAMES")
    causes += _shared_causes(style, lang, e, o, e_html, o_html,
                             [refs[item["id"]] for item in cluster], note)
    if o.endswith("..") and not e.endswith(".."):
        causes.append("LAYOUT_SUFFIX_MERGE")
    return causes


def author_causes(js: str | None, ours: str | None) -> list[str]:
    """A narrative author that differs by a label citeproc-js keeps after the names."""
    if js and ours and js.startswith(ours) and re.fullmatch(r",\s*\S+\.", js[len(ours):]):
        return ["AUTHOR_ONLY_LABELS"]
    if js and ours and text(js) == text(ours) and not emphasis(js):
        return ["AUTHOR_ONLY_FORMATTING"]
    return []


def _shared_causes(style: str, lang: str, e: str, o: str, e_html: str, o_html: str,
                   refs: list[dict[str, Any]], note: bool) -> list[str]:
    causes = []
    if re.search(r"[,.]”", e) and re.search(r"”[,.]", o):
        causes.append("PUNCTUATION_IN_QUOTE")
    if any(given in e and given not in o for ref in refs for given in _given_full(ref)):
        causes.append("INITIALIZE_FALSE")
    case_only = _case_only_changes(e, o)
    if any(a.lower().strip("(),.") + "." in CASE_LABELS or a.lower().strip("(),.") in CASE_LABELS
           for a, _ in case_only):
        causes.append("LABEL_TEXT_CASE")
    if any("arxiv" in a.lower() for a, _ in case_only):
        causes.append("CAPITALIZE_FIRST_MIXED")
    if re.search(r"\b(Edition|edition|Издание|издание)\b", o) and not re.search(
            r"\b(Edition|edition|Издание|издание)\b", e):
        causes.append("EMPTY_LABEL")
    if re.search(r"\bNos\.|\bpp\. 00:", o) and not re.search(r"\bNos\.|\bpp\. 00:", e):
        causes.append("PLURAL")
    if style == "ieee" and re.match(r"\[\d+\]\S", o):
        causes.append("DISPLAY_LEFT_MARGIN")
    return causes


def entry_causes(style: str, lang: str, key: str, js: Rendering, ours: Rendering) -> list[str]:
    refs = _refs()
    e_html, o_html = js.entries.get(key), ours.entries.get(key)
    if e_html is None or o_html is None:
        return ["UNEXPLAINED"]
    e, o = text(e_html), text(o_html)
    causes = _shared_causes(style, lang, e, o, e_html, o_html, [refs[key]], False)
    return causes


def order_causes(style: str, lang: str, js: Rendering, ours: Rendering) -> list[str]:
    causes = []
    matcher = difflib.SequenceMatcher(a=js.order, b=ours.order, autojunk=False)
    kept = {key for block in matcher.get_matching_blocks()
            for key in js.order[block.a:block.a + block.size]}
    moved = [key for key in js.order if key not in kept]
    if any(re.search("[«“]", text(js.entries[key])) for key in moved):
        causes.append("SORT_KEY_QUOTES")
    return causes


def triage(oracle: Oracle) -> dict[tuple[str, str, Any], list[str]]:
    """Every failing case → its causes."""
    found: dict[tuple[str, str, Any], list[str]] = {}
    for style in STYLES:
        note = _is_note(style)
        for lang in LANGUAGES:
            js = oracle.citeproc_js(style, lang)
            try:
                ours = oracle.kzpublish(style, lang)
            except pytest.fail.Exception as error:
                crash = _crash_causes(error)
                for number in range(1, len(harness.clusters(lang)) + 1):
                    found[(style, f"{lang}/citation", number)] = crash
                for key in harness.cited_ids(lang):
                    found[(style, f"{lang}/entry", key)] = crash
                found[(style, f"{lang}/order", 0)] = crash
                if note:
                    found[(style, f"{lang}/footnotes", 0)] = crash
                continue
            for number in range(1, len(harness.clusters(lang)) + 1):
                if reading(js.citations[number - 1]) != reading(ours.citations[number - 1]):
                    found[(style, f"{lang}/citation", number)] = _or_unexplained(
                        citation_causes(style, lang, number, js, ours, note))
            for number in range(1, len(harness.clusters(lang)) + 1):
                if note and reading(js.authors[number - 1]) != reading(ours.authors[number - 1]):
                    found[(style, f"{lang}/author", number)] = _or_unexplained(
                        author_causes(js.authors[number - 1], ours.authors[number - 1]))
            for key in harness.cited_ids(lang):
                if reading(js.entries.get(key)) != reading(ours.entries.get(key)):
                    found[(style, f"{lang}/entry", key)] = _or_unexplained(
                        entry_causes(style, lang, key, js, ours))
            if js.order != ours.order:
                found[(style, f"{lang}/order", 0)] = _or_unexplained(
                    order_causes(style, lang, js, ours))
            if note and not all(ours.footnoted):
                found[(style, f"{lang}/footnotes", 0)] = ["NOT_FOOTNOTES"]
    return found


def _or_unexplained(causes: list[str]) -> list[str]:
    unique = list(dict.fromkeys(causes))
    return unique or ["UNEXPLAINED"]


def _is_note(style: str) -> bool:
    return harness.is_note_style(style)


def _table(found: dict[tuple[str, str, Any], list[str]]) -> str:
    lines = []
    for (style, kind, index), causes in found.items():
        key = f"({json.dumps(style)}, {json.dumps(kind)}, {json.dumps(index)})"
        names = ", ".join(f'"{cause}"' for cause in causes)
        line = f"    {key}: _({names}),"
        if len(line) > 100:  # the project's line length
            line = f"    {key}:\n        _({names}),"
        if len(line.splitlines()[-1]) > 100:
            one_a_line = "".join(f'\n            "{cause}",' for cause in causes)
            line = f"    {key}:\n        _({one_a_line}\n        ),"
        lines.append(line)
    return "\n".join(lines)


def write_known(found: dict[tuple[str, str, Any], list[str]]) -> None:
    source = KNOWN_PY.read_text(encoding="utf-8")
    start = source.index("\nKNOWN_DIFFERENCES: dict")
    start = source.index("{\n", start) + 1
    end = source.index("\n}", start - 1)
    KNOWN_PY.write_text(source[:start] + "\n" + _table(found) + source[end:], encoding="utf-8")


def report(oracle: Oracle, found: dict[tuple[str, str, Any], list[str]]) -> None:
    by_cause: dict[str, list[tuple[str, str, Any]]] = defaultdict(list)
    for key, causes in found.items():
        for cause in causes:
            by_cause[cause].append(key)
    counts = Counter(style for style, _, _ in found)
    print(f"{len(found)} differing cases: " + ", ".join(f"{s} {n}" for s, n in counts.items()))
    for cause, keys in sorted(by_cause.items(), key=lambda pair: -len(pair[1])):
        print(f"\n## {cause} ({len(keys)}): {CAUSES.get(cause, '?')}")
        for style, kind, index in keys[:4]:
            lang, what = kind.split("/")
            js = oracle.citeproc_js(style, lang)
            try:
                ours = oracle.kzpublish(style, lang)
            except pytest.fail.Exception as error:
                print(f"  {style} {kind} {index}: {error}")
                continue
            if what == "citation":
                pair = js.citations[index - 1], ours.citations[index - 1]
            elif what == "entry":
                pair = js.entries.get(index) or "", ours.entries.get(index) or ""
            elif what == "author":
                pair = js.authors[index - 1] or "", ours.authors[index - 1] or ""
            else:
                print(f"  {style} {kind}: js {js.order}\n    ours {ours.order}")
                continue
            print(f"  {style} {kind} {index}\n    js:   {text(pair[0])}\n    ours: {text(pair[1])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite known.py's table")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as root:
        oracle = Oracle(Path(root))
        try:
            found = triage(oracle)
            report(oracle, found)
        finally:
            oracle.close()
    if args.write:
        write_known(found)
    return 0


if __name__ == "__main__":
    sys.exit(main())
