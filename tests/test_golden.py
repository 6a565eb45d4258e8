"""Golden documents, and the tone of every text the tool hands over.

Every scenario of every shipped tree that ends at an outcome is rendered as Markdown and as plain
text and compared with ``tests/golden/<tree>/<scenario name as a slug>.md`` / ``.txt``. A change
to a template, a tree or the renderer that changes a document fails here until the golden files
are rewritten on purpose. To rewrite them (and delete files no scenario produces any more):

    UPDATE_GOLDEN=1 pytest tests/test_golden.py

then read the diff as the freelancer would before committing it.

The same scenarios feed the tone check: every public reply (and the fallback reply of a dispute)
passes ``triage.text.tone.check(..., purpose="public_reply")`` with no findings, within the tree's
``reply_limit``; every message to the client and every sample closing message passes with
``purpose="client_message"``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from triage.documents.render import _values, render_part, render_walk
from triage.paths import trees_dir
from triage.text.tone import check as check_tone
from triage.tree.kinds import kind_of
from triage.tree.loader import load_tree
from triage.tree.scenarios import run_scenarios
from triage.walk.engine import Walk

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def slug(name: str) -> str:
    """A scenario name as a file name: lower-case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@dataclass(frozen=True)
class Finished:
    tree: str
    name: str
    pinned: bool
    walk: Walk

    @property
    def path(self) -> Path:
        return GOLDEN / self.tree / slug(self.name)


def _finished() -> list[Finished]:
    found = []
    for file in sorted(trees_dir().glob("*.yaml")):
        tree = load_tree(file).tree
        for result, scenario in zip(run_scenarios(tree), tree.scenarios, strict=True):
            if result.walk is not None and result.walk.outcome is not None:
                found.append(
                    Finished(tree.id, scenario.name, scenario.today is not None, result.walk)
                )
    return found


FINISHED = _finished()
IDS = [f"{f.tree}/{slug(f.name)}" for f in FINISHED]


def test_there_are_golden_cases() -> None:
    assert len(FINISHED) >= 10
    assert len(set(IDS)) == len(IDS), "two scenarios give the same file name"


@pytest.mark.parametrize("case", FINISHED, ids=IDS)
@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_document_matches_golden(case: Finished, fmt: str) -> None:
    assert case.pinned, f'scenario "{case.name}" needs "today:" so its dates stay the same'
    document = render_walk(case.walk, fmt)  # type: ignore[arg-type]
    path = case.path.with_suffix(f".{fmt}")
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document, encoding="utf-8")
        pytest.skip("golden file rewritten; review the diff")
    assert path.is_file(), f"no golden file {path}; run UPDATE_GOLDEN=1 pytest {__file__}"
    expected = path.read_text(encoding="utf-8")
    assert document == expected, (
        f"{path.name} differs from the rendered document; if the change is intended, run "
        "UPDATE_GOLDEN=1 pytest tests/test_golden.py and review the diff"
    )


def test_no_stale_golden_files() -> None:
    wanted = {case.path.with_suffix(f".{fmt}") for case in FINISHED for fmt in ("md", "txt")}
    stale = sorted(p for p in GOLDEN.rglob("*") if p.is_file() and p not in wanted)
    if UPDATE:
        for p in stale:
            p.unlink()
        pytest.skip("stale golden files removed")
    assert not stale, f"golden files no scenario produces: {[p.name for p in stale]}"


@pytest.mark.parametrize("case", FINISHED, ids=IDS)
def test_every_text_handed_over_passes_the_tone_check(case: Finished) -> None:
    walk = case.walk
    limit = walk.tree.settings.reply_limit
    values = _values(walk)
    reply = render_part(walk, "reply")
    assert reply == values["reply"]
    if reply is not None:
        report = check_tone(reply, purpose="public_reply", limit=limit)
        assert report.findings == (), reply
        assert len(reply) <= limit
    message = render_part(walk, "message")
    assert message == values["message"]
    for text in (message, values["closing"]):
        if text is not None:
            report = check_tone(text, purpose="client_message", limit=limit)
            assert report.findings == (), text


@pytest.mark.parametrize("case", FINISHED, ids=IDS)
def test_each_kind_hands_over_its_text(case: Finished) -> None:
    outcome = case.walk.outcome
    assert outcome is not None
    values = _values(case.walk)
    if outcome.kind == "respond":
        assert values["reply"], "a respond outcome needs a reply"
    if outcome.kind == "dispute":
        assert values["report"], "a dispute needs the report text"
        # A platform with no published reply window (no reply_window date): always open.
        windows = [d for d in case.walk.deadlines if d.name.startswith("reply_window")]
        window_open = not windows or any(d.days_left >= 0 for d in windows)
        assert bool(values["reply"]) == (outcome.fallback_reply and window_open)
    if outcome.kind == "request_change":
        assert values["message"], "a change request needs the message to the client"
    if outcome.kind == "no_action":
        assert values["closing"]


@pytest.mark.parametrize("case", FINISHED, ids=IDS)
def test_every_part_a_kind_tone_checks_is_clean_and_the_handed_text_exists(
    case: Finished,
) -> None:
    """Whatever the kind (a reply, a message, feedback about a client, a report to Support):
    each text its ``tone:`` names passes the check for what it is, and what it hands over is
    there to copy."""
    walk = case.walk
    assert walk.outcome is not None
    kind = kind_of(walk.tree, walk.outcome)
    values = _values(walk)
    for name, purpose in kind.tone.items():
        text = values.get(name)
        if text:
            report = check_tone(text, purpose=purpose, limit=walk.tree.settings.reply_limit)
            assert report.findings == (), (name, purpose, text)
    if kind.hands_over is not None:
        assert values.get(kind.hands_over), f"{kind.hands_over} is empty"


@pytest.mark.parametrize("case", FINISHED, ids=IDS)
def test_every_document_cites_its_sources_with_the_date_checked(case: Finished) -> None:
    walk = case.walk
    assert walk.outcome is not None
    document = render_walk(walk, "md")
    cited = [s for s in walk.tree.sources.values() if s.url in document]
    assert cited, "the document names none of the tree's sources"
    own = walk.tree.sources.get(walk.outcome.source or "")
    if own is not None:
        assert own.url in document, "the outcome's own source"
    assert "checked" in document
