"""Real validators for the HTML and EPUB editions: Nu Html Checker, axe-core, DAISY Ace.

The Node tools live in tools/node_modules (installed by tools/ensure-npm, which `make tools`
runs); the browser is Debian's chromium, started through tools/chromium. A missing tool
is an error, never a skip: in CI and on a developer's machine alike.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree as lxml_etree
from lxml import html as lxml_html

REPO = Path(__file__).resolve().parents[1]
TOOLS = REPO / "tools"
NODE_MODULES = TOOLS / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
ACE_CLI = NODE_MODULES / ".bin" / "ace-cli"
CHROMIUM = TOOLS / "chromium"


class ToolMissing(RuntimeError):
    """A validator is not installed; the message says how to install it."""


def require(path: Path | str, what: str, fix: str = "run `make tools` (tools/ensure-npm)") -> str:
    """Return `path` (a file, or a command on PATH) or raise ToolMissing naming the fix."""
    found = str(path) if Path(path).exists() else shutil.which(str(path))
    if found:
        return found
    where = "in CI" if os.environ.get("CI") else "on this machine"
    raise ToolMissing(f"{what} is missing {where} ({path}): {fix}")


def _chromium() -> str:
    require(os.environ.get("KZ_CHROMIUM", "/usr/bin/chromium"), "Chromium",
            "add `chromium` to DEBIAN_TEST and run `make tools`")
    return require(CHROMIUM, "tools/chromium wrapper")


# --- Nu Html Checker -------------------------------------------------------------------

def vnu(paths: Iterable[Path]) -> list[str]:
    """Check HTML (and CSS) files with vnu.jar; one "kind file:line:col: message" per finding.

    kind is "error" or "warning"; vnu's plain informational notes are left out.
    """
    files = [str(p) for p in paths]
    java = require("java", "Java", "add `openjdk-17-jre-headless` to DEBIAN_TEST")
    jar = require(VNU_JAR, "vnu.jar (npm vnu-jar)")
    out = subprocess.run([java, "-jar", jar, "--format", "json", "--stdout", "--exit-zero-always",
                          "--also-check-css", *files],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    found = []
    for m in json.loads(out)["messages"]:
        kind = "warning" if m.get("subType") == "warning" else m["type"]
        if kind == "info":
            continue
        file = Path(unquote(urlsplit(m.get("url", "")).path)).name
        line = m.get("firstLine", m.get("lastLine", 0))
        found.append(f"{kind} {file}:{line}:{m.get('firstColumn', 0)}: {m['message']}")
    return found


# --- Chromium pages: axe-core, overflow, screenshots ------------------------------------

@functools.cache
def _browser() -> Any:
    """One headless Chromium for the whole test session, closed at exit."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise ToolMissing("the Python package playwright is missing: add it to the test "
                          "extras in pyproject.toml and run `make setup`") from error
    executable = _chromium()
    playwright = sync_playwright().start()
    atexit.register(playwright.stop)
    browser = playwright.chromium.launch(executable_path=executable, headless=True)
    atexit.register(browser.close)
    return browser


def _url(target: Path | str) -> str:
    text = str(target)
    return text if re.match(r"^(https?|file):", text) else Path(text).resolve().as_uri()


@contextmanager
def page(target: Path | str, width: int, color_scheme: str = "light") -> Iterator[Any]:
    """A Playwright page showing `target` at `width` CSS px, fonts loaded."""
    context = _browser().new_context(viewport={"width": width, "height": 900},
                                     color_scheme=color_scheme)
    try:
        tab = context.new_page()
        tab.goto(_url(target), wait_until="load")
        tab.evaluate("document.fonts.ready.then(() => true)")
        yield tab
    finally:
        context.close()


def axe(target: Path | str, viewport_width: int, color_scheme: str = "light") -> list[str]:
    """axe-core violations on a page: one "rule (impact) target — help" per failing node."""
    script = require(AXE_JS, "axe.min.js (npm axe-core)")
    with page(target, viewport_width, color_scheme) as tab:
        tab.add_script_tag(path=script)
        violations = tab.evaluate("axe.run(document, {resultTypes: ['violations']})"
                                  ".then(r => r.violations)")
    return [f"{v['id']} ({v['impact']}) {' '.join(map(str, n['target']))} — {v['help']}"
            for v in violations for n in v["nodes"]]


_OVERFLOW_JS = """w => [document.documentElement.scrollWidth,
  [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > w + 0.5
              && ![...e.children].some(c => c.getBoundingClientRect().right > w + 0.5))
    .slice(0, 10)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
              + (e.className ? '.' + String(e.className).trim().replace(/ +/g, '.') : '')
              + ' right=' + Math.round(e.getBoundingClientRect().right))]"""


def horizontal_overflow(target: Path | str, width: int) -> list[str]:
    """Empty when the page does not scroll sideways at `width`; else scrollWidth and culprits."""
    with page(target, width) as tab:
        scroll_width, culprits = tab.evaluate(_OVERFLOW_JS, width)
    return [] if scroll_width <= width else [f"scrollWidth {scroll_width} > {width}", *culprits]


def screenshot(target: Path | str, width: int, out_png: Path) -> Path:
    """Write a full-page PNG of `target` at `width` CSS px, for a person to look at."""
    out_png.parent.mkdir(parents=True, exist_ok=True)
    with page(target, width) as tab:
        tab.screenshot(path=str(out_png), full_page=True)
    return out_png


# --- DAISY Ace -----------------------------------------------------------------------------

def ace(epub_path: Path, out_dir: Path) -> list[str]:
    """Run DAISY Ace on an EPUB; one "document: rule (impact) description [where]" per failure.

    The full report (report.json, report.html) is left in `out_dir`.
    """
    cli = require(ACE_CLI, "DAISY Ace (npm @daisy/ace-cli)")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": _chromium(), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    run = subprocess.run([cli, "--force", "--silent", "--outdir", str(out_dir), str(epub_path)],
                         capture_output=True, text=True, env=env, timeout=600)
    report_file = out_dir / "report.json"
    if run.returncode != 0 or not report_file.is_file():
        raise RuntimeError(f"ace-cli failed ({run.returncode}): {run.stderr or run.stdout}")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    found = []
    for document in report.get("assertions", []):
        subject = document["earl:testSubject"]["url"]
        for a in document.get("assertions", []):
            result, test = a["earl:result"], a["earl:test"]
            if result["earl:outcome"] != "fail":
                continue
            where = " ".join(result.get("earl:pointer", {}).get("css", []))
            found.append(f"{subject}: {test['dct:title']} ({test.get('earl:impact')}) "
                         f"{result.get('dct:description', '')}" + (f" [{where}]" if where else ""))
    return found


# --- links ---------------------------------------------------------------------------------

_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


def _ids(file: Path) -> set[str]:
    tree = lxml_html.fromstring(file.read_bytes())
    return set(tree.xpath("//@id")) | set(tree.xpath("//a/@name"))


def links(root: Path) -> list[str]:
    """Broken local links under `root`: every relative href/src (and CSS url(), and an SVG
    picture's href) must name a file inside `root`, and every #fragment an id in its
    target. External URLs are not fetched.
    """
    pages = sorted(root.rglob("*.html"))
    refs: list[tuple[Path, str]] = []
    for source in pages:
        tree = lxml_html.fromstring(source.read_bytes())
        refs += [(source, ref) for ref in tree.xpath("//@href | //@src")]
    for picture in sorted(root.rglob("*.svg")):
        tree = lxml_etree.fromstring(picture.read_bytes())
        refs += [(picture, ref) for ref in tree.xpath(
            "//@href | //@xlink:href", namespaces={"xlink": "http://www.w3.org/1999/xlink"})]
    for sheet in sorted(root.rglob("*.css")):
        refs += [(sheet, ref) for ref in _CSS_URL.findall(sheet.read_text(encoding="utf-8"))]
    ids: dict[Path, set[str]] = {}
    broken = []
    for source, ref in refs:
        parts = urlsplit(ref.strip())
        if parts.scheme or parts.netloc:  # http:, https:, mailto:, data:, //host
            continue
        name = source.relative_to(root)
        if parts.path.startswith("/"):
            broken.append(f"{name}: {ref}: root-relative link breaks when the site moves")
            continue
        target = (source.parent / unquote(parts.path)).resolve() if parts.path else source
        if root.resolve() not in target.parents or not target.is_file():
            broken.append(f"{name}: {ref}: no such file in {root.name}/")
        elif parts.fragment and target.suffix == ".html":
            known = ids.setdefault(target, _ids(target))
            if unquote(parts.fragment) not in known:
                broken.append(f"{name}: {ref}: no id {parts.fragment!r} in {target.name}")
    return broken
