"""End-to-end fixtures: `streamlit run app.py` on a free local port, driven by Playwright in
Debian's Chromium (never a downloaded browser).

- ``server``: one Streamlit server for the whole run, the day pinned with ``TRIAGE_TODAY``; its
  output goes to a log file (printed when it fails to start).
- ``browser``: one headless Chromium for the whole run.
- ``new_page``: opens a page in a fresh browser context (its own cookies, its own Streamlit
  session); call it twice for two people at once. When a test fails, every page it opened is
  saved as a screenshot under ``/tmp/triage-e2e/`` (never committed).

On a machine where Chromium is missing or does not run, these tests are skipped, all under one
summary line that says why and how to install it, so ``pytest`` passes on a fresh machine. In CI
(``CI=true``) a missing browser fails them instead: there the end-to-end tests must run.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from viewports import DESKTOP

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TRIAGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TODAY = "2026-11-27"
TIMEOUT_MS = 25_000  # CI has two cores: every wait is generous
SHOTS = Path(os.environ.get("TRIAGE_E2E_SHOTS", Path(tempfile.gettempdir()) / "triage-e2e"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in item.nodeid.replace("\\", "/") or item.nodeid.startswith("e2e/"):
            item.add_marker(pytest.mark.e2e)


def in_ci() -> bool:
    """CI=true (GitHub Actions, GitLab and most others set it): the browser must be there."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


_browser_checked: list[str | None] = []  # filled once: why Chromium cannot run, or None


def browser_problem() -> str | None:
    """Why Chromium cannot run on this machine, or None if ``chromium --version`` works.
    Asked once per run, and only when an end-to-end test is about to run."""
    if not _browser_checked:
        _browser_checked.append(_ask_browser())
    return _browser_checked[0]


def _ask_browser() -> str | None:
    if not Path(CHROMIUM).is_file():
        return f"Chromium is not installed ({CHROMIUM} is missing)"
    try:
        done = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"Chromium does not start ({CHROMIUM}: {error})"
    if done.returncode != 0 or not done.stdout.strip():
        said = (done.stderr.strip().splitlines() or [""])[-1][:120]
        return f"Chromium does not run ({CHROMIUM} --version exits {done.returncode}: {said})"
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture (no server is started): skip, or in CI fail, every end-to-end test
    when the browser cannot run. Skipped from this one place, ``-ra`` folds them into one line."""
    if item.get_closest_marker("e2e") is None:
        return
    problem = browser_problem()
    if problem is None:
        return
    if in_ci():
        pytest.fail(
            f"{problem}; CI=true, so the end-to-end tests must run: install Debian's package "
            "in the CI image (apt-get install chromium)",
            pytrace=False,
        )
    pytest.skip(
        f"end-to-end tests skipped: {problem}. To run them: apt-get install chromium "
        '(or set TRIAGE_CHROMIUM to its path); pytest -m "not e2e" leaves them out'
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "TRIAGE_TODAY": TODAY, "PYTHONUNBUFFERED": "1"}
    # A file, not a pipe: nobody reads a pipe while the tests run, and a full pipe would block
    # the server the first time it logs a lot.
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in the finally below
        prefix="triage-e2e-server-", suffix=".log", delete=False
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def output() -> str:
        if not log.closed:
            log.flush()
        return Path(log.name).read_text(encoding="utf-8", errors="replace")[-4000:]

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited early:\n{output()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"streamlit did not become healthy within 60 s:\n{output()}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        if process.returncode not in (0, -15):
            sys.stderr.write(f"streamlit server log ({log.name}):\n{output()}\n")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    problem = browser_problem()
    if problem is not None:  # pytest_runtest_setup has skipped (or failed) the test already
        pytest.fail(f"{problem}: install Debian's package (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


def _failed(item: pytest.Item) -> bool:
    return any(
        getattr(getattr(item, f"rep_{when}", None), "failed", False) for when in ("setup", "call")
    )


@pytest.fixture
def new_page(
    browser: Any, server: str, request: pytest.FixtureRequest
) -> Generator[Callable[..., Any], None, None]:
    """``new_page(width=..., height=...)``: a page in a new browser context, at the server."""
    contexts: list[Any] = []

    def make(width: int = DESKTOP["width"], height: int = DESKTOP["height"]) -> Any:
        context = browser.new_context(
            base_url=server,
            viewport={"width": width, "height": height},
            accept_downloads=True,
            locale="en-GB",
            timezone_id="UTC",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    if _failed(request.node):
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)[:80]
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                target = SHOTS / f"{name}-{i}{j}.png"
                try:
                    page.screenshot(path=str(target), full_page=True, timeout=10_000)
                    sys.stderr.write(f"screenshot of the failing page: {target} ({page.url})\n")
                except Exception as error:  # the page may be gone; the report matters more
                    sys.stderr.write(f"no screenshot for {target}: {error}\n")
    for context in contexts:
        context.close()
