"""Running the ``triage`` command as a user would, for the CLI tests (imported by name).

In-process by default, through ``triage.cli.main(argv, out)``: the same parser, commands, exit
codes and messages, without starting Python again for every call. ``via_subprocess=True`` (or
``TRIAGE_CLI_SUBPROCESS=1`` for the whole run) starts ``python -m triage.cli`` instead: the
tests that prove the console entry point, process exit codes and what a fresh process imports
use it.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def triage(
    *args: str,
    stdin: str = "",
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    via_subprocess: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run ``triage ARGS``; never a traceback or an internal error."""
    if via_subprocess or os.environ.get("TRIAGE_CLI_SUBPROCESS") == "1":
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
    else:
        result = _in_process(list(args), stdin, cwd, env or {})
    said = result.stdout + result.stderr
    assert "Traceback" not in said
    assert "internal error" not in said
    return result


@contextlib.contextmanager
def _environment(cwd: Path, env: dict[str, str], stdin: str) -> Iterator[None]:
    """The working folder, environment and standard input of one run, restored afterwards."""
    saved_env, saved_cwd, saved_stdin = dict(os.environ), Path.cwd(), sys.stdin
    os.environ.update(env)
    os.chdir(cwd)
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    try:
        yield
    finally:
        sys.stdin = saved_stdin
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def _in_process(
    args: list[str], stdin: str, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    from triage.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        _environment(cwd, env, stdin),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = main(args, out)
        except SystemExit as stop:  # argparse's own exits (--help, usage errors)
            code = stop.code if isinstance(stop.code, int) else 2
    return subprocess.CompletedProcess(["triage", *args], code, out.getvalue(), err.getvalue())


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
