"""The renderer: escaping by default, strict templates, the static template check, the API's
errors, and the ``triage render`` command."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from tree_data import RESPOND_ANSWERS

from triage.documents.markdown import Trusted, clean, escape
from triage.documents.render import (
    NotFinishedError,
    Record,
    render_part,
    render_walk,
    template_context,
    template_problems,
)
from triage.errors import TemplateError, TriageError
from triage.paths import PROJECT_ROOT, responses_dir, tree_path
from triage.tree.loader import LoadedTree, load_tree
from triage.tree.model import Case, CaseContext
from triage.walk.engine import Walk, start

TODAY = dt.date(2026, 11, 27)
RESPOND = {**RESPOND_ANSWERS, "reply_fact": "I delivered the last file on 20 November."}
DISPUTE = {
    "feedback_kind": "public",
    "already_reported": "not_yet",
    "main_complaint": "price",
    "client_pressure": ["threatened_review"],
    "pressure_where": "upwork_messages",
    "pressure_demand": "",
    "review_language": "no",
    "review_relevance": "about_the_work",
    "reviewer_connection": "genuine",
    "agency_account": "no",
}
CHANGE = {
    **{k: v for k, v in RESPOND.items() if k != "reply_fact"},
    "concern_fixed": "yes",
    "changes_enabled_before": "no",
    "client_willing": "not_asked",
    "what_changed": "I fixed the layout",
}


@pytest.fixture(scope="module")
def loaded() -> LoadedTree:
    return load_tree(tree_path("upwork"))


def walk_of(loaded: LoadedTree, answers: dict[str, Any], **context: Any) -> Walk:
    facts = {
        "client_name": "Dana",
        "project_title": "Landing page redesign",
        "contract_end": dt.date(2026, 11, 20),
        "rating": 2,
        "review_text": "Late.",
        **context,
    }
    case = Case(tree="upwork", today=TODAY, context=CaseContext(**facts), answers=answers)
    return start(loaded.tree, case)


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of responses/ that a test may change; the renderer reads it. Returns the Upwork
    tree's own template folder inside it."""
    folder = tmp_path / "responses"
    shutil.copytree(responses_dir(), folder)
    monkeypatch.setenv("TRIAGE_RESPONSES", str(folder))
    return folder / "upwork"


# --- escaping ------------------------------------------------------------------------------


def test_trusted_text_loses_its_trust_when_changed() -> None:
    trusted = Trusted("**bold**")
    assert type(trusted.upper()) is str
    assert type(trusted + "x") is str
    assert type(trusted.replace("*", "")) is str


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[click](javascript:alert(1))", "\\[click\\]\\(javascript:alert(1))"),
        ("![img](http://x/y.png)", "\\!\\[img\\]\\(http\\://x/y.png)"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("O'Brien & Sons <ltd>", "O'Brien &amp; Sons &lt;ltd&gt;"),
        (
            "# Title\n- item\n1. first\n+ plus\n===",
            "\\# Title\n\\- item\n1\\. first\n\\+ plus\n\\===",
        ),
        ("*a* _b_ `c` ~d~ |e| $5 \\", "\\*a\\* \\_b\\_ \\`c\\` \\~d\\~ \\|e\\| \\$5 \\\\"),
        ("see www.x.com or a@b.com", "see www\\.x.com or a\\@b.com"),
        (
            "Plain words, unchanged: it's fine (really)!",
            "Plain words, unchanged: it's fine (really)!",
        ),
        ("line\r\nbreak\x00", "line\nbreak"),
    ],
)
def test_markdown_escape(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_right_to_left_override_is_fenced_in() -> None:
    assert clean("abc\u202edef") == "\u2068abc\u202edef\u2069"
    assert clean("plain") == "plain"


def test_a_filter_on_a_persons_text_keeps_the_escaping(loaded: LoadedTree, templates: Path) -> None:
    (templates / "respond.md.j2").write_text(
        "{{ context.review_text | upper }}|{{ context.review_text | truncate(200) }}|"
        "{{ context.review_text ~ '' }}|{{ context.review_text | replace('x', 'y') }}\n"
    )
    walk = walk_of(loaded, RESPOND, review_text="[a](javascript:x) <b>")
    shown = render_walk(walk, "md").strip().split("|")
    assert shown[0] == "\\[A\\]\\(JAVASCRIPT:X) &lt;B&gt;"
    for part in shown[1:]:
        assert "\\[a\\]" in part and "&lt;b&gt;" in part and "<b>" not in part


def test_plain_text_is_not_escaped(loaded: LoadedTree) -> None:
    walk = walk_of(loaded, RESPOND, client_name="O'Brien & Sons <ltd>")
    text = render_walk(walk, "txt")
    assert "O'Brien & Sons <ltd>" in text
    assert "&amp;" not in text
    reply = render_part(walk, "reply")
    assert reply is not None and reply.startswith("Thank you, O'Brien & Sons <ltd>, for")


def test_user_text_is_never_template_source(loaded: LoadedTree) -> None:
    walk = walk_of(loaded, RESPOND, client_name="{{ 7*7 }}", project_title="{% for x in y %}")
    for fmt in ("md", "txt"):
        document = render_walk(walk, fmt)
        assert not re.search(r"(?<!\d)49(?!\d)", document)
        assert "{% for x in y %}" in document
    assert "{{ 7*7 }}" in render_walk(walk, "md")  # inside the reply's block, shown as written
    assert "{{ 7*7 }}" in render_walk(walk, "txt")


# --- the context ---------------------------------------------------------------------------


def test_context_has_every_question_and_field(loaded: LoadedTree) -> None:
    values = template_context(walk_of(loaded, RESPOND))
    assert set(values["answers"]) == set(loaded.tree.questions)
    assert set(values["labels"]) == set(loaded.tree.questions)
    assert values["answers"]["agency_account"] is None
    assert values["answers"]["client_pressure"] == ("none_of_these",)
    assert values["labels"]["main_complaint"] == "Delays or missed deadlines"
    assert values["labels"]["reply_fact"] == "I delivered the last file on 20 November."
    assert values["labels"]["what_changed"] is None
    assert set(values["context"]) == set(CaseContext.model_fields)
    assert values["deadline"]["reply_window"].date == dt.date(2026, 12, 18)
    assert values["deadline"]["decision"] is None
    assert values["ground"] is None
    assert values["tree"].settings.reply_limit == loaded.tree.settings.reply_limit


def test_record_keys_never_clash_with_methods() -> None:
    record = Record("answers", {"items": 1, "get": 2, "keys": 3})
    assert (record.items, record.get, record.keys) == (1, 2, 3)
    assert record["items"] == 1 and "get" in record and len(record) == 3
    with pytest.raises(AttributeError):
        _ = record.missing


def test_dispute_context_names_the_ground(loaded: LoadedTree) -> None:
    values = template_context(walk_of(loaded, DISPUTE))
    ground = values["ground"]
    assert ground.id == "manipulation"
    assert "manipulat" in ground.rule
    assert ground.source.url.startswith("https://support.upwork.com/")
    assert set(values["grounds"]) == {
        "manipulation",
        "inappropriate",
        "irrelevant",
        "conflict_of_interest",
    }


# --- the documents -------------------------------------------------------------------------


def test_each_api_gives_its_text_or_none(loaded: LoadedTree) -> None:
    respond = walk_of(loaded, RESPOND)
    dispute = walk_of(loaded, DISPUTE)
    change = walk_of(loaded, CHANGE)
    assert render_part(respond, "reply") and render_part(respond, "message") is None
    assert render_part(respond, "report") is None
    assert (
        render_part(dispute, "reply")
        and render_part(dispute, "report")
        and render_part(dispute, "message") is None
    )
    assert render_part(change, "message") and render_part(change, "reply") is None


def test_reply_handles_an_empty_name_and_project(loaded: LoadedTree) -> None:
    reply = render_part(walk_of(loaded, RESPOND, client_name="", project_title=""), "reply")
    assert reply is not None
    assert reply.startswith("Thank you for taking the time to leave feedback. ")
    assert ", ," not in reply and '""' not in reply and "  " not in reply


COMPLAINTS = [
    "quality_or_vision",
    "delay",
    "communication",
    "scope",
    "price",
    "not_about_work",
    "insults_only",
    "unknown_client",
    "general",
]


@pytest.mark.parametrize("complaint", COMPLAINTS)
@pytest.mark.parametrize("changed", ["", "I now send a progress update every Friday"])
def test_every_reply_variant_is_clean_and_short(
    loaded: LoadedTree, complaint: str, changed: str
) -> None:
    from triage.text.tone import check as check_tone

    answers = {**RESPOND, "main_complaint": complaint, "reply_fact": changed}
    walk = walk_of(loaded, answers, client_name="N" * 200, project_title="P" * 300)
    reply = render_part(walk, "reply")
    assert reply is not None
    assert (changed + ".") in reply if changed else "Friday" not in reply
    limit = loaded.tree.settings.reply_limit
    assert check_tone(reply, purpose="public_reply", limit=limit).findings == ()


def test_reply_never_asks_for_a_change_or_mentions_money(loaded: LoadedTree) -> None:
    for complaint in COMPLAINTS:
        reply = render_part(walk_of(loaded, {**RESPOND, "main_complaint": complaint}), "reply")
        assert reply is not None
        lowered = reply.lower()
        for word in ("remove", "change your", "update your", "refund", "paid", "$", "price"):
            assert word not in lowered


def test_dispute_warns_about_the_order_when_upwork_decides_after_the_window(
    loaded: LoadedTree,
) -> None:
    # Contract ended 25 days ago: the window closes in 3 days, the decision takes ~7 business days.
    walk = walk_of(loaded, DISPUTE, contract_end=TODAY - dt.timedelta(days=25))
    document = render_walk(walk, "md")
    assert "**Watch the order:**" in document
    assert "Consider posting the public reply below by 30 November 2026" in document


def test_dispute_with_the_window_closed_has_no_reply(loaded: LoadedTree) -> None:
    walk = walk_of(loaded, DISPUTE, contract_end=TODAY - dt.timedelta(days=40))
    assert render_part(walk, "reply") is None
    document = render_walk(walk, "txt")
    assert "Fallback public reply" not in document
    assert "the public-reply window closed on 15 November 2026" in document


def test_agency_reports_through_support(loaded: LoadedTree) -> None:
    document = render_walk(walk_of(loaded, {**DISPUTE, "agency_account": "yes"}), "txt")
    assert "Where to report: contact Upwork Support" in document
    assert "You said you work through an agency" in document
    assert "Job Success insights page" not in document


def test_every_document_ends_with_the_note(loaded: LoadedTree) -> None:
    for answers in (RESPOND, DISPUTE, CHANGE):
        for fmt in ("md", "txt"):
            document = render_walk(walk_of(loaded, answers), fmt)
            last = document.rstrip("\n").split("\n")[-1]
            assert last.startswith(
                "Not legal advice. Upwork's rules as checked on 30 November 2026"
            )


# --- errors --------------------------------------------------------------------------------


def test_an_unfinished_walk_gives_a_clear_error(loaded: LoadedTree) -> None:
    walk = walk_of(loaded, {"feedback_kind": "public"}, contract_end=None)
    for call in (
        lambda: render_walk(walk, "md"),
        lambda: render_part(walk, "reply"),
        lambda: render_part(walk, "message"),
        lambda: template_context(walk),
    ):
        with pytest.raises(NotFinishedError) as caught:
            call()
        assert isinstance(caught.value, TriageError)
        assert 'the case is not finished: the next question is "contract_end_date"' in str(
            caught.value
        )
    again = pickle.loads(pickle.dumps(caught.value))
    assert str(again) == str(caught.value)


def test_an_unknown_format_is_a_triage_error(loaded: LoadedTree) -> None:
    with pytest.raises(TemplateError, match="not a document format"):
        render_walk(walk_of(loaded, RESPOND), "html")  # type: ignore[arg-type]


def test_strict_undefined_catches_a_typo(loaded: LoadedTree, templates: Path) -> None:
    (templates / "respond.md.j2").write_text("Line one\n{{ answers.whatt_changed }}\n")
    with pytest.raises(TemplateError) as caught:
        render_walk(walk_of(loaded, RESPOND), "md")
    message = str(caught.value)
    assert "respond.md.j2:2:" in message
    assert 'answers has no "whatt_changed"' in message
    assert 'did you mean "what_changed"?' in message
    assert not isinstance(caught.value.__cause__, Exception)  # no raw jinja2 error attached


def test_a_typo_in_context_is_caught_too(loaded: LoadedTree, templates: Path) -> None:
    (templates / "_reply.txt.j2").write_text("{{ context.client_nme }}\n")
    with pytest.raises(TemplateError, match=r'context has no "client_nme".*client_name'):
        render_part(walk_of(loaded, RESPOND), "reply")


def test_a_missing_or_broken_template_is_a_template_error(
    loaded: LoadedTree, templates: Path
) -> None:
    (templates / "respond.txt.j2").unlink()
    with pytest.raises(TemplateError, match=re.escape('template "respond.txt.j2" not found')):
        render_walk(walk_of(loaded, RESPOND), "txt")
    (templates / "respond.md.j2").write_text("ok\n{% if %}\n")
    with pytest.raises(TemplateError, match=r"respond.md.j2:2: template syntax error"):
        render_walk(walk_of(loaded, RESPOND), "md")


def test_the_sandbox_blocks_python_internals(loaded: LoadedTree, templates: Path) -> None:
    (templates / "respond.md.j2").write_text("{{ context.__class__.__mro__ }}\n")
    with pytest.raises(TemplateError):
        render_walk(walk_of(loaded, RESPOND), "md")


# --- the static check ----------------------------------------------------------------------


def _line_of(loaded: LoadedTree, *path: str) -> int:
    return loaded.positions.at(*path)[0]


def test_shipped_templates_have_no_problems(loaded: LoadedTree) -> None:
    assert list(template_problems(loaded)) == []


def test_template_problems_finds_a_misspelt_answer(loaded: LoadedTree, templates: Path) -> None:
    (templates / "respond.md.j2").write_text(
        '{% include "_respond.j2" %}\n\n{% if answers.whatt_changed %}x{% endif %}\n'
    )
    problems = list(template_problems(loaded))
    assert len(problems) == 1
    problem = problems[0]
    assert problem.code == "template-variable"
    assert "respond.md.j2:3:" in problem.message
    assert '"answers.whatt_changed"' in problem.message
    assert problem.hint == 'did you mean "what_changed"?'
    line = _line_of(loaded, "nodes", "respond_publicly", "template")
    assert problem.line == line
    assert loaded.text.splitlines()[line - 1].strip() == "template: respond"


def test_template_problems_checks_context_deadlines_sources_and_includes(
    loaded: LoadedTree, templates: Path
) -> None:
    (templates / "_extra.j2").write_text(
        "{{ context.client_nam }}\n{{ deadline.reply_windw }}\n{{ sources['feedback_removl'] }}\n"
    )
    (templates / "no_action.txt.j2").write_text(
        '{% include "_no_action.j2" %}\n{% include "_extra.j2" %}\n'
    )
    messages = {p.message: p.hint for p in template_problems(loaded)}
    assert messages == {
        '_extra.j2:1: "context.client_nam": a case has no context field "client_nam"': (
            'did you mean "client_name"?'
        ),
        '_extra.j2:2: "deadline.reply_windw": the tree has no deadline "reply_windw"': (
            'did you mean "reply_window"?'
        ),
        '_extra.j2:3: "sources.feedback_removl": the tree has no source "feedback_removl"': (
            'did you mean "feedback_removal"?'
        ),
    }


def test_template_problems_reports_syntax_and_missing_parts(
    loaded: LoadedTree, templates: Path
) -> None:
    (templates / "_message.txt.j2").write_text("Hi\n\n{% for %}\n")
    (templates / "_report.txt.j2").unlink()
    found = {(p.code, p.line): p.message for p in template_problems(loaded)}
    change_line = _line_of(loaded, "nodes", "request_change_now", "template")
    dispute_line = _line_of(loaded, "nodes", "report_manipulation", "template")
    assert "_message.txt.j2:3: template syntax error" in found[("template-syntax", change_line)]
    assert "_report.txt.j2 (the report text) not found" in found[("missing-template", dispute_line)]


def test_triage_check_runs_the_template_check(templates: Path) -> None:
    (templates / "_reply.txt.j2").write_text("{{ answers.main_complaintt }}\n")
    result = _triage("check", env={"TRIAGE_RESPONSES": str(templates.parent)})
    assert result.returncode == 1
    assert '"answers.main_complaintt"' in result.stdout
    assert 'did you mean "main_complaint"?' in result.stdout


# --- the command line ----------------------------------------------------------------------


def _triage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "triage.cli", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def _case_file(tmp_path: Path, answers: dict[str, Any]) -> Path:
    case = {
        "tree": "upwork",
        "today": "2026-11-27",
        "context": {
            "client_name": "Dana",
            "project_title": "Landing page redesign",
            "contract_end": "2026-11-20",
            "rating": 2,
            "review_text": "Late.",
        },
        "answers": answers,
    }
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_cli_render_writes_the_file(tmp_path: Path, loaded: LoadedTree, fmt: str) -> None:
    case = _case_file(tmp_path, RESPOND)
    out = tmp_path / f"reply.{fmt}"
    result = _triage("render", str(case), "--format", fmt, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == render_walk(walk_of(loaded, RESPOND), fmt)  # type: ignore[arg-type]


def test_cli_render_of_an_unfinished_case_exits_1(tmp_path: Path) -> None:
    case = _case_file(tmp_path, {"feedback_kind": "public"})
    out = tmp_path / "doc.md"
    result = _triage("render", str(case), "--out", str(out))
    assert result.returncode == 1
    assert "the case is not finished" in result.stderr
    assert '"already_reported"' in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_name_set_from_two_answers_takes_the_values_of_both(
    loaded: LoadedTree, templates: Path
) -> None:
    # Set once in each of two templates (and twice in one): the check used to replace one by
    # the other on every round and never end.
    (templates / "_extra.j2").write_text(
        "{% set topic = answers.main_complaint %}{% set topic = answers.feedback_kind %}\n"
        '{% if topic == "delay" or topic == "public" %}ok{% endif %}\n'
        '{% if topic == "delai" %}typo{% endif %}\n'
    )
    (templates / "no_action.txt.j2").write_text(
        '{% set topic = answers.review_language %}{% include "_no_action.j2" %}\n'
        '{% include "_extra.j2" %}\n'
    )
    problems = [p for p in template_problems(loaded) if p.code == "template-value"]
    assert len(problems) == 1, [p.message for p in problems]
    assert problems[0].message.startswith('_extra.j2:3: "delai" is never a value of answers.')
    assert problems[0].hint == 'did you mean "delay"?'
