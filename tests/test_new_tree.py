"""`triage new-tree PLATFORM`: a starter tree and template folder that pass `triage check` as
they are, never overwriting anything."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from cli_run import triage

from triage.documents.render import render_walk
from triage.errors import TriageError
from triage.paths import PROJECT_ROOT
from triage.text.tone import check as check_tone
from triage.tree.checks import check_file
from triage.tree.loader import load_tree
from triage.tree.model import Case
from triage.tree.new_tree import create, tree_id_for
from triage.walk.engine import start

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    trees, responses = tmp_path / "decision_trees", tmp_path / "responses"
    (trees / "shared").mkdir(parents=True)
    responses.mkdir()
    shutil.copy(PROJECT_ROOT / "decision_trees" / "shared" / "grounds.yaml", trees / "shared")
    shutil.copy(PROJECT_ROOT / "responses" / "kinds.yaml", responses)
    monkeypatch.setenv("TRIAGE_TREES", str(trees))
    monkeypatch.setenv("TRIAGE_RESPONSES", str(responses))
    return trees, responses


@pytest.mark.parametrize(
    ("platform", "tree_id"),
    [("Trustpilot", "trustpilot"), ("Google Business", "google_business"), ("eBay.de", "ebay_de")],
)
def test_tree_ids_from_platform_names(platform: str, tree_id: str) -> None:
    assert tree_id_for(platform) == tree_id


@pytest.mark.parametrize("bad", ["", "  ", "123go", "!!!"])
def test_a_name_that_makes_no_id_is_refused(bad: str) -> None:
    with pytest.raises(TriageError, match="does not make a tree id"):
        tree_id_for(bad)


def test_the_starter_passes_the_check_and_its_texts_are_safe(folders: tuple[Path, Path]) -> None:
    trees, responses = folders
    made = create("Trustpilot", trees, responses, TODAY)
    assert made.tree_file == trees / "trustpilot.yaml"
    assert sorted(p.name for p in made.templates.iterdir()) == [
        "_closing.txt.j2", "_document.j2", "_reply.txt.j2", "_report.txt.j2",
        "dispute.md.j2", "dispute.txt.j2", "no_action.md.j2", "no_action.txt.j2",
        "respond.md.j2", "respond.txt.j2",
    ]  # fmt: skip
    report = check_file(made.tree_file, responses)
    assert report.ok, [p.message for p in report.problems]
    assert [p for p in report.problems if p.severity == "error"] == []
    tree = load_tree(made.tree_file).tree
    assert tree.platform == "Trustpilot" and tree.offer is not None
    for scenario in tree.scenarios:
        walk = start(tree, Case(tree=tree.id, today=scenario.today, answers=dict(scenario.answers)))
        assert walk.at == scenario.expect
        for fmt in ("md", "txt"):
            document = render_walk(walk, fmt)  # type: ignore[arg-type]
            assert walk.outcome is not None and walk.outcome.title in document
    answers = {"review_language": "no", "reply_wanted": "yes"}
    reply = render_walk(start(tree, Case(tree=tree.id, today=TODAY, answers=answers)), "txt")
    body = reply.split("Your public reply")[1].split("Next steps")[0]
    assert check_tone(body.strip("-\n "), purpose="public_reply").findings == ()


def test_it_never_overwrites(folders: tuple[Path, Path]) -> None:
    trees, responses = folders
    (trees / "trustpilot.yaml").write_text("mine\n")
    with pytest.raises(TriageError, match="already exists"):
        create("Trustpilot", trees, responses, TODAY)
    assert (trees / "trustpilot.yaml").read_text() == "mine\n"
    assert not (responses / "trustpilot").exists()


def test_the_command(folders: tuple[Path, Path]) -> None:
    trees, _ = folders
    made = triage("new-tree", "Trustpilot")
    assert made.returncode == 0, made.stderr
    assert "trustpilot.yaml" in made.stdout and "triage check" in made.stdout
    assert triage("check", str(trees / "trustpilot.yaml")).returncode == 0
    again = triage("new-tree", "Trustpilot")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert triage("new-tree", "!!!").returncode == 2
