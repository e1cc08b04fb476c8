"""Record the digest of every built-in stylesheet kzpublish has shipped (``project_styles``).

Run it after changing a file in ``src/kzpublish/data/styles/`` (a unit test says so):

    python tools/style_digests.py

It adds each stylesheet's current digest, and those of every version in the git history
(when there is one), to ``src/kzpublish/data/styles/shipped.json``. Digests are only
ever added: a project that copied any shipped version must still be recognised.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from kzpublish import project_styles  # noqa: E402
from kzpublish.assets import BUILTIN_STYLES, STYLESHEETS  # noqa: E402

RELATIVE = BUILTIN_STYLES.relative_to(REPO)


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True,
                          text=True, check=True).stdout


def _history(name: str) -> list[str]:
    """Every committed version of the built-in ``name``, oldest first ([] without git)."""
    path = f"{RELATIVE}/{name}"
    try:
        commits = _git("log", "--format=%H", "--follow", "--", path).split()
    except (OSError, subprocess.CalledProcessError):
        return []
    return [_git("show", f"{commit}:{path}") for commit in reversed(commits)]


def main() -> int:
    shipped = project_styles.shipped()
    for name in STYLESHEETS:
        versions = [*_history(name), (BUILTIN_STYLES / name).read_text(encoding="utf-8")]
        known = shipped.setdefault(name, [])
        for text in versions:
            digest = project_styles.digest(text)
            if digest not in known:
                known.append(digest)
    project_styles.SHIPPED.write_text(json.dumps(shipped, indent=1) + "\n", encoding="utf-8")
    print(f"{project_styles.SHIPPED.relative_to(REPO)}: "
          + ", ".join(f"{name} {len(shipped[name])}" for name in STYLESHEETS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
