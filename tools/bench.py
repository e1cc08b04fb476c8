"""make bench: kzpublish's speed beside pandoc's, on the same data, side by side.

Prints wall-clock figures (best of N runs) and the ratio kzpublish / pandoc:

* citations — 100 and 1,000 generated references, each cited once, rendered
  with the same CSL style (chicago-author-date): kzpublish's citation layer
  against ``pandoc --citeproc`` to HTML, in four states:

  - process, cold: a fresh ``python`` that loads the config, reads the book and
    resolves its citations (``citations.resolve``), as a first build does, on every core
    it may use (``kzpublish.parallel``: cites and entries in forked slices);
  - process, cold, one core: the same with ``KZPUBLISH_JOBS=1``;
  - in process, warm: ``citations.resolve`` again in a process that has
    already read the book;
  - process, unchanged: a fresh process doing what ``kzpublish build`` does
    when nothing changed — load, then the book as read (``read_cache``) and its
    citations (``incremental.cited``) served from the build cache (``build/.cache``;
    the row fails if either is not);
  - stage, unchanged: ``incremental.cited`` alone, in process, on that cache
    hit: the citation stage's own share of an unchanged rebuild;
  - process, edited: a fresh process after a sentence of a chapter changed: the
    book is read and its citations rendered again, the bibliography entries come from
    the cache.

  Targets (issue 7): 1,000 references ≤ 1.5 s cold, ≤ 0.2 s unchanged.
* the demo book — ``kzpublish build --format html`` and ``--format epub``
  against ``pandoc`` writing the same outputs from the same Markdown.
* a long book — about 500 A5 pages of generated Pandoc Markdown (20 chapters: headings,
  emphasis, footnotes, lists, block quotes, tables, citations of 300 references): the
  reader (``reader.read``, in process) against a whole ``kzpublish build`` of the three
  editions, and its share of it (issue 14: under 10 %); pandoc's Markdown to HTML on the
  same chapters beside the reader.
* print — ``kzpublish build --format pdf`` (a fresh process, no cache) beside bare
  WeasyPrint's ``weasyprint`` typesetting kzpublish's own final HTML and CSS with the same
  options (PDF/UA-1 tagging, presentational hints), for the demo book and the long book:
  wall-clock and CPU seconds, their ratios, and each process's peak resident memory.
  Targets (issue 16): PDF ≤ 1.0× bare WeasyPrint on a 500-page book, ≤ 1 GB; a
  1,000-page book's PDF under 60 s on 2 cores — that row (~1,000 A5 pages, about two
  minutes of CPU) only with ``BENCH_BIG=1``.
* incremental print — a ~250-page book's PDF rebuilt after one chapter was edited, the
  build cache filled (``pdf_cache``: the parts that did not change are reused), beside a
  cold build of the same sources; the same bytes. Target (issue 16): under 0.30×.

Timing belongs here, not in the test suite (tests assert behaviour). On a shared machine
read the CPU seconds: wall-clock then measures the neighbours too. The package is
byte-compiled first, as an installed one is (a fresh clone run with
PYTHONDONTWRITEBYTECODE would otherwise compile every module in every process measured).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RUNS = 3


def best(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def references(count: int) -> list[dict]:
    kinds = ["book", "article-journal", "chapter", "webpage"]
    items = []
    for n in range(count):
        kind = kinds[n % 4]
        item = {"id": f"ref{n}", "type": kind, "title": f"Title number {n} of a study",
                "author": [{"family": f"Author{n % 97}", "given": f"Given{n % 13}"}],
                "issued": {"date-parts": [[1950 + n % 70]]}, "language": "en"}
        if kind in ("article-journal", "chapter"):
            item.update({"container-title": f"Journal {n % 31}", "page": f"{n}-{n + 9}"})
        if kind == "webpage":
            item.update({"URL": f"https://example.org/{n}",
                         "accessed": {"date-parts": [[2024, 1 + n % 12, 1 + n % 28]]}})
        if kind == "book":
            item.update({"publisher": "Press", "publisher-place": "City"})
        items.append(item)
    return items


def citation_project(folder: Path, count: int, style: str) -> Path:
    manuscript = folder / "manuscript"
    manuscript.mkdir(parents=True)
    (manuscript / "refs.json").write_text(json.dumps(references(count)), encoding="utf-8")
    text = "\n\n".join(f"Sentence {n} [@ref{n}]." for n in range(count))
    (manuscript / "ch.md").write_text("# Bench\n\n" + text + "\n", encoding="utf-8")
    (manuscript / "book.toml").write_text(
        f'title = "Bench"\nauthors = []\nlanguage = "en"\nchapters = ["ch.md"]\n'
        f'bibliography = "refs.json"\ncsl = "{style}"\n', encoding="utf-8")
    return folder


def kz_citations(project: Path, jobs: str = "") -> Callable[[], object]:
    environment = dict(os.environ, KZPUBLISH_JOBS=jobs)

    def run() -> object:
        code = ("import sys; from pathlib import Path; from kzpublish import config, reader, "
                "citations; c = config.load(Path(sys.argv[1])); "
                "citations.resolve(reader.read(c), c)")
        return subprocess.run([sys.executable, "-c", code, str(project)], check=True,
                              env=environment)
    return run


_CACHED = ("import sys; from pathlib import Path; "
           "from kzpublish import cache, config, incremental, read_cache; "
           "c = config.load(Path(sys.argv[1])); store = cache.Store(Path(sys.argv[2])); "
           "reading = read_cache.read(c, store); "
           "hit = incremental.cited(reading.book, c, store, list)[2] and reading.cached; "
           "reading.keep(); "
           "sys.exit(0 if hit or sys.argv[3] == 'fill' else "
           "'bench: the book or its citations were not served from the cache')")


def kz_citations_unchanged(project: Path) -> Callable[[], object]:
    """A rebuild with nothing changed: a fresh process whose citations come from the cache."""
    store = project / "build" / ".cache"
    subprocess.run([sys.executable, "-c", _CACHED, str(project), str(store), "fill"], check=True)
    return lambda: subprocess.run(
        [sys.executable, "-c", _CACHED, str(project), str(store), "hit"], check=True)


def kz_citations_edited(project: Path) -> Callable[[], object]:
    """A rebuild after a sentence changed: a fresh process that renders the citations
    again (the citations cache misses) but takes the bibliography entries from the cache."""
    store, chapter = project / "build" / ".cache", project / "manuscript" / "ch.md"
    text = chapter.read_text(encoding="utf-8")
    edits = iter(range(1_000_000))

    def run() -> object:
        chapter.write_text(f"{text}\nEdit {next(edits)}.\n", encoding="utf-8")
        return subprocess.run([sys.executable, "-c", _CACHED, str(project), str(store), "fill"],
                              check=True)
    return run


def kz_stage_unchanged(project: Path) -> Callable[[], object]:
    """``incremental.cited`` alone on a cache hit (the cache filled by the row above)."""
    from kzpublish import cache, config, incremental, reader
    settings = config.load(project)
    book = reader.read(settings)
    store = cache.Store(project / "build" / ".cache")

    def run() -> object:
        if not incremental.cited(book, settings, store, list)[2]:
            raise SystemExit("bench: the citations were not served from the cache")
        return None
    return run


def kz_resolve_in_process(project: Path) -> Callable[[], object]:
    from kzpublish import citations, config, reader
    settings = config.load(project)
    book = reader.read(settings)
    return lambda: citations.resolve(book, settings)


def pandoc_citations(project: Path, style_file: Path) -> Callable[[], object]:
    manuscript = project / "manuscript"
    return lambda: subprocess.run(
        ["pandoc", "--citeproc", f"--csl={style_file}",
         f"--bibliography={manuscript / 'refs.json'}", str(manuscript / "ch.md"),
         "-o", str(project / "pandoc.html")], check=True)


_PARAGRAPH = ("The *multi-vector* policy of a small state is a **balance** of partners, "
              "not a choice between them [@ref{n}, p. {p}]. Its diplomats speak of "
              "`pragmatism`, of trade routes and of the ~~old~~ new neighbours; each "
              "treaty is read as a promise and as a hedge, and each visit as a message "
              "to the third capital that watches it.{note} Historians differ on when the "
              "course was set, and on how much of it was chosen rather than forced, but "
              "they agree that it outlived the men who began it.")


def long_chapter(number: int, paragraphs: int) -> str:
    """One chapter of the long book: sections of paragraphs with the usual furniture."""
    parts = [f"# Chapter {number}\n"]
    for n in range(paragraphs):
        if n % 15 == 0:
            parts.append(f"## Section {number}.{n // 15 + 1}\n")
        note = f"[^n{n}]" if n % 4 == 0 else ""
        parts.append(_PARAGRAPH.format(n=(number * paragraphs + n) % 300, p=n + 1, note=note))
        if note:
            parts.append(f"[^n{n}]: A note on paragraph {n}, citing [@ref{n % 300}].")
        if n % 20 == 10:
            parts.append("- one point\n- another point, *stressed*\n- a third\n")
            parts.append("> A quotation set apart, as books set them.\n")
            parts.append("| Year | Partner | Share |\n|---|---|---:|\n| 1995 | A | 12 |\n"
                         "| 2005 | B | 31 |\n")
    return "\n\n".join(parts) + "\n"


def long_project(folder: Path, chapters: int = 20, paragraphs: int = 78) -> Path:
    manuscript = folder / "manuscript"
    manuscript.mkdir(parents=True)
    (manuscript / "refs.json").write_text(json.dumps(references(300)), encoding="utf-8")
    names = []
    for number in range(1, chapters + 1):
        names.append(f"ch{number:02d}.md")
        (manuscript / names[-1]).write_text(long_chapter(number, paragraphs), encoding="utf-8")
    (manuscript / "book.toml").write_text(
        f'title = "Long"\nauthors = []\nlanguage = "en"\nchapters = {json.dumps(names)}\n'
        'bibliography = "refs.json"\ncsl = "chicago-author-date"\n', encoding="utf-8")
    return folder


def long_book(temp: Path) -> Path:
    """The reader's share of a whole build of a ~500-page book; the book's project."""
    from kzpublish import config, reader
    project = long_project(temp / "long")
    settings = config.load(project)
    reading = best(lambda: reader.read(settings))
    chapters = sorted((project / "manuscript").glob("ch*.md"))
    theirs = best(lambda: subprocess.run(["pandoc", "-f", "markdown", "-t", "html",
                                          *map(str, chapters)], check=True,
                                         capture_output=True))
    out = temp / "long-out"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kzpublish", "build", str(project), "-o", str(out),
                    "-q", "--no-cache"], check=True)
    whole = time.perf_counter() - start
    info = subprocess.run(["pdfinfo", str(out / "long.pdf")], capture_output=True, text=True,
                          check=True).stdout
    pages = next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))
    row(f"long book, {pages} pages: reader (in process)", reading, theirs)
    row(f"long book, {pages} pages: build, 3 editions", whole, None)
    print(f"  the reader is {100 * reading / whole:.1f} % of the build (issue 14: < 10 %)")
    return project


@dataclass(frozen=True)
class Run:
    """One process measured."""

    wall: float
    cpu: float
    """User + system seconds, its children's included: what it cost on a shared machine."""
    peak_mb: float
    """Its peak resident memory (ru_maxrss; of it, or of the largest child it waited for)."""


def measured(command: list[str], runs: int = 1) -> Run:
    """The best of ``runs`` runs of ``command``, each a fresh process.

    The process's own rusage comes from ``os.wait4``: ``getrusage(RUSAGE_CHILDREN)`` in
    the bench would add up the CPU of every earlier child and keep the largest of their
    peaks."""
    results = []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, command)
        results.append(Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024))
    return min(results, key=lambda run: run.wall)


_VIRTUAL_ORIGIN = re.compile(r"https://[a-z0-9-]+\.invalid/")


def bare_weasyprint(project: Path, folder: Path, pdf_file: Path) -> list[str]:
    """The ``weasyprint`` command that typesets the final HTML and CSS kzpublish gives
    WeasyPrint for the book at ``project`` (written into ``folder``), with the same
    options: PDF/UA-1 tagging, presentational hints.

    The writer names the book's files by a virtual origin (``https://….invalid/``) that
    its URL fetcher serves; here that origin is a real folder laid out the same way —
    fonts/ holding the fonts, project/ the project, pages based at project/manuscript/ —
    so the fonts and images resolve to the same files (PDF figures, which the fetcher
    converts, would not: the bench's books have none)."""
    from kzpublish import assets, pipeline
    from kzpublish.writers import pdf
    settings, book = pipeline.resolve(project)
    origin = folder / "origin"
    (origin / "fonts").mkdir(parents=True)
    for font in assets.fonts(settings.project, math=False):
        (origin / "fonts" / font.name).symlink_to(font.resolve())
    (origin / "project").symlink_to(settings.project.resolve())
    local = origin.resolve().as_uri() + "/"
    html, css = folder / "print.html", folder / "print.css"
    html.write_text(_VIRTUAL_ORIGIN.sub(local, pdf.render_html(book, settings)),
                    encoding="utf-8")
    css.write_text(_VIRTUAL_ORIGIN.sub(local, pdf.stylesheet(settings)), encoding="utf-8")
    weasyprint = Path(sys.executable).with_name("weasyprint")
    return [str(weasyprint), "--pdf-variant", "pdf/ua-1", "--presentational-hints",
            "-s", str(css), "-u", f"{local}project/manuscript/", str(html), str(pdf_file)]


def pdf_pages(pdf_file: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf_file)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines()
                    if line.startswith("Pages:")))


def print_edition(label: str, project: Path, temp: Path, runs: int = 1) -> Run:
    """kzpublish's whole PDF build (a fresh process, no cache) beside bare WeasyPrint
    typesetting kzpublish's final HTML: wall and CPU time, their ratio, peak memory."""
    folder = temp / f"print-{label}"
    ours = measured([sys.executable, "-m", "kzpublish", "build", str(project), "-f", "pdf",
                     "-o", str(folder / "kz"), "-q", "--no-cache"], runs)
    bare_pdf = folder / "bare.pdf"
    theirs = measured(bare_weasyprint(project, folder, bare_pdf), runs)
    kz_pdf = next((folder / "kz").glob("*.pdf"))
    pages, bare_pages = pdf_pages(kz_pdf), pdf_pages(bare_pdf)
    label = f"{label}, {pages} pages" + (f" (bare: {bare_pages})" if bare_pages != pages
                                         else "")
    print(f"{label}: PDF (kzpublish build vs bare WeasyPrint)")
    row("  wall-clock", ours.wall, theirs.wall)
    row("  CPU (user + system)", ours.cpu, theirs.cpu)
    print(f"  peak memory {ours.peak_mb:8.0f} MB {theirs.peak_mb:8.0f} MB"
          "   (issue 16: ≤ 1.0×, ≤ 1 GB)")
    return ours


def incremental_print(temp: Path) -> None:
    """Issue 16's incremental PDF: a ~250-page book's ``kzpublish build --format pdf`` with
    one clause of chapter 3 edited and the build cache filled (a fresh process: reading,
    citations and typography as an edit makes them, then the PDF from the parts kept),
    beside a cold build (``--no-cache``) of the same edited sources, one after the other;
    the two PDFs must be the same bytes (the row fails if not)."""
    project = long_project(temp / "incremental", chapters=20, paragraphs=39)
    chapter, out = project / "manuscript" / "ch03.md", temp / "incremental-out"
    command = [sys.executable, "-m", "kzpublish", "build", str(project), "-f", "pdf", "-q"]
    subprocess.run([*command, "-o", str(out / "edited")], check=True)  # fills the cache
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "Its diplomats speak", "Its envoys, it is said, speak", 1), encoding="utf-8")
    edited = measured([*command, "-o", str(out / "edited")])
    cold = measured([*command, "-o", str(out / "cold"), "--no-cache"])
    edited_pdf, cold_pdf = (next((out / name).glob("*.pdf")) for name in ("edited", "cold"))
    if edited_pdf.read_bytes() != cold_pdf.read_bytes():
        raise SystemExit("bench: the edited book's PDF differs from its cold build's")
    print(f"long book, {pdf_pages(cold_pdf)} pages, a chapter edited: PDF (cached vs cold)")
    row("  wall-clock", edited.wall, cold.wall)
    row("  CPU (user + system)", edited.cpu, cold.cpu)
    print(f"  peak memory {edited.peak_mb:8.0f} MB {cold.peak_mb:8.0f} MB, "
          f"{cold_pdf.stat().st_size / 1e6:.2f} MB the same bytes   (issue 16: < 0.30×)")


def _pandoc_version() -> str:
    found = subprocess.run(["pandoc", "--version"], capture_output=True, text=True, check=True)
    return found.stdout.split()[1]


def row(label: str, ours: float, theirs: float | None) -> None:
    ratio = f"{ours / theirs:6.2f}×" if theirs else "      –"
    other = f"{theirs:8.3f} s" if theirs is not None else "         –"
    print(f"{label:<44} {ours:8.3f} s {other}  {ratio}")


def main() -> int:
    if not shutil.which("pandoc"):
        print("bench: pandoc not found — `make bench` installs it (Debian package pandoc)")
        return 1
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "kzpublish")],
                   check=True)
    from kzpublish import csl, parallel
    style = "chicago-author-date"
    print(f"({parallel.workers()} cores; pandoc {_pandoc_version()})")
    style_file = csl.find_style(style, REPO)
    print(f"{'':<44} {'kzpublish':>10} {'pandoc':>10}  {'ratio':>7}")
    with tempfile.TemporaryDirectory() as temp:
        for count in (100, 1000):
            project = citation_project(Path(temp) / f"c{count}", count, style)
            cold = best(kz_citations(project))
            theirs = best(pandoc_citations(project, style_file))
            row(f"citations, {count} refs (process, cold)", cold, theirs)
            row(f"citations, {count} refs (process, cold, one core)",
                best(kz_citations(project, jobs="1")), theirs)
            row(f"citations, {count} refs (in process, warm)",
                best(kz_resolve_in_process(project)), None)
            row(f"citations, {count} refs (process, unchanged)",
                best(kz_citations_unchanged(project)), theirs)
            row(f"citations, {count} refs (stage, unchanged)",
                best(kz_stage_unchanged(project)), None)
            row(f"citations, {count} refs (process, edited)",
                best(kz_citations_edited(project)), theirs)
        for fmt, ext in (("html", "html"), ("epub", "epub")):
            out = Path(temp) / f"demo-{fmt}"
            out.mkdir()
            theirs = best(lambda ext=ext, out=out: subprocess.run(
                ["pandoc", "--citeproc", f"--csl={REPO / 'csl' / 'essay-author-date.csl'}",
                 f"--bibliography={REPO / 'manuscript' / 'references.json'}",
                 "--metadata", "title=Bench", str(REPO / "manuscript" / "essay.md"), "-s",
                 "-o", str(out / f"pandoc.{ext}")], check=True, capture_output=True))
            for label, extra in (("no cache", ["--no-cache"]), ("cached", [])):
                ours = best(lambda fmt=fmt, out=out, extra=extra: subprocess.run(
                    [sys.executable, "-m", "kzpublish", "build", str(REPO), "-f", fmt, "-o",
                     str(out), "-q", *extra], check=True))
                row(f"demo book, {fmt} edition ({label})", ours, theirs)
        long = long_book(Path(temp))
        print(f"{'':<44} {'kzpublish':>10} {'WeasyPrint':>10}  {'ratio':>7}")
        print_edition("demo book", REPO, Path(temp), runs=RUNS)
        print_edition("long book", long, Path(temp))
        incremental_print(Path(temp))
        if os.environ.get("BENCH_BIG") == "1":
            big = print_edition("longer book", long_project(Path(temp) / "longer", chapters=43),
                                Path(temp))
            print(f"  issue 16: a 1,000-page book's PDF under 60 s on 2 cores: {big.wall:.1f} s")
        else:
            print("(BENCH_BIG=1 adds a ~1,000-page book's PDF)")
    print(f"(best of {RUNS} runs each, one for a whole build or a long book's PDF; "
          f"load average at the end {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
