"""citeproc-js (tools/oracle/render.js) as the oracle for reference data: what it prints for
CSL-JSON items, each cited alone, in several styles from one node process."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from kzpublish import bibliography, csl
from tests.oracle.harness import RENDER_JS, _node

Texts = tuple[dict[str, str], dict[str, str]]
"""(citation text, entry text) by reference id."""


def text(html: str | None) -> str:
    """What a reader sees of an HTML fragment: its text, whitespace collapsed."""
    plain = re.sub(r"<[^>]+>", "", html or "").replace("&amp;", "&").replace("&#38;", "&")
    return re.sub(r"\s+", " ", plain.replace("\u00a0", " ")).strip()


def style_xml(style: str) -> str:
    """The CSL text of a style name (as book.toml names it) or of a .csl file."""
    path = Path(style) if style.endswith(".csl") else csl.find_style(style, Path("."))
    return path.read_text(encoding="utf-8")


def citeproc_js(jobs: list[tuple[str, list[dict[str, Any]]]]) -> list[Texts]:
    """citeproc-js's texts for each (style, items) job, every item cited once, in order."""
    payload = [{"style_xml": style_xml(style), "lang": "en-US", "locales_dir": str(csl.LOCALES),
                "items": items, "citations": [[{"id": str(item["id"])}] for item in items],
                "output_format": "html"} for style, items in jobs]
    result = subprocess.run([_node(), str(RENDER_JS)], input=json.dumps(payload),
                            capture_output=True, text=True, timeout=300, check=True)
    return [({str(item["id"]): text(html)
              for item, html in zip(items, data["citations"], strict=True)},
             {entry["id"]: text(entry["html"]) for entry in data["bibliography"]})
            for (_, items), data in zip(jobs, json.loads(result.stdout), strict=True)]


def kzpublish(style: str, items: list[dict[str, Any]], folder: Path) -> Texts:
    """kzpublish's texts for the items, read as a CSL-JSON bibliography file is read."""
    path = folder / "refs.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    references = bibliography.load([path])
    style_path = Path(style) if style.endswith(".csl") else csl.find_style(style, Path("."))
    engine = csl.Engine(style_path, "en", references.items)
    keys = [str(item["id"]) for item in references.items]
    engine.register([csl.ItemRequest(key) for key in keys])
    layout = engine.layout
    cites = {key: text(layout.prefix + engine.render(csl.ItemRequest(key)) + layout.suffix)
             for key in keys}
    return cites, {key: text(html) for key, html in engine.entries(str.encode)}
