"""Running the ``triage`` command as a user would, for the CLI tests (imported by name)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def triage(
    *args: str, stdin: str = "", cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m triage.cli ARGS`` in a subprocess; never a traceback or an internal error."""
    result = subprocess.run(
        [sys.executable, "-m", "triage.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
    said = result.stdout + result.stderr
    assert "Traceback" not in said
    assert "internal error" not in said
    return result


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
