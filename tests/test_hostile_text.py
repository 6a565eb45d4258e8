"""Text a person pastes is data, whatever it holds.

Hostile or odd text in every free-text field of a case renders without an error. In plain text it
comes out as written; in Markdown no link, image, HTML tag, template code or document structure
forms from it: it shows as the same characters, escaped.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from triage.documents.markdown import clean, escape
from triage.documents.render import Format, render_part, render_walk
from triage.paths import tree_path
from triage.tree.loader import load_tree
from triage.tree.model import Case, CaseContext, Tree
from triage.walk.engine import Walk, start

TEMPLATE_EXPR = "{{ 7*7 }}"
TEMPLATE_STMT = "{% for x in y %}"
SCRIPT = "<script>alert(1)</script>"
LINK = "[click](javascript:alert(1))"
IMAGE = "![img](http://x/y.png)"
RTL = "Great work \u202eesrever ni siht\u202c, thanks"
NUL = "before\x00after"
EMOJI = "Terrible 😡👎 work 🙃"
COMPANY = "O'Brien & Sons <ltd>"
HOSTILE = [TEMPLATE_EXPR, TEMPLATE_STMT, SCRIPT, LINK, IMAGE, RTL, NUL, EMOJI, COMPANY]
LONG_REVIEW = ("Lorem ipsum [x](javascript:1) <b>dolor</b> " * 600)[:20000]

# What each hostile text looks like in Markdown.
ESCAPED = {
    TEMPLATE_EXPR: "{{ 7\\*7 }}",
    TEMPLATE_STMT: "{% for x in y %}",
    SCRIPT: "&lt;script&gt;alert(1)&lt;/script&gt;",
    LINK: "\\[click\\]\\(javascript:alert(1))",
    IMAGE: "\\!\\[img\\]\\(http\\://x/y.png)",
    RTL: "\u2068Great work \u202eesrever ni siht\u202c, thanks\u2069",
    NUL: "beforeafter",
    EMOJI: EMOJI,
    COMPANY: "O'Brien &amp; Sons &lt;ltd&gt;",
}
# ... and in plain text: as written (NUL bytes dropped, overrides fenced in by an isolate).
VERBATIM = {
    **{text: text for text in HOSTILE},
    RTL: f"\u2068{RTL}\u2069",
    NUL: "beforeafter",
}

DISPUTE = {
    "feedback_kind": "public",
    "already_reported": "not_yet",
    "main_complaint": "quality_or_vision",
    "client_pressure": ["threatened_review"],
    "pressure_where": "upwork_messages",
    "review_language": "yes",
    "review_relevance": "completely_unrelated",
    "reviewer_connection": "competitor",
    "agency_account": "no",
}
RESPOND = {
    "feedback_kind": "public",
    "already_reported": "not_yet",
    "main_complaint": "communication",
    "client_pressure": ["none_of_these"],
    "review_language": "no",
    "review_relevance": "about_the_work",
    "reviewer_connection": "genuine",
    "concern_fixed": "no",
}
CHANGE = {
    **RESPOND,
    "concern_fixed": "yes",
    "changes_enabled_before": "no",
    "client_willing": "agreed",
}
NOTHING = {"feedback_kind": "mid_contract"}


@pytest.fixture(scope="module")
def tree() -> Tree:
    return load_tree(tree_path("upwork")).tree


def walk_with(tree: Tree, text: str, answers: dict[str, Any], review: str | None = None) -> Walk:
    """A walk with ``text`` in every free-text field of the case and every text answer."""
    context = CaseContext(
        client_name=text,
        freelancer_name=text,
        project_title=text,
        contract_id=text,
        contract_end=dt.date(2026, 11, 20),
        rating=1,
        review_text=review if review is not None else f"{text}\n{text}",
        messages=text,
    )
    typed = text.replace("\x00", "")[:200]
    if "concern_fixed" in answers:
        own = "what_changed" if answers["concern_fixed"] == "yes" else "reply_fact"
        answers = {**answers, own: typed}
    if "pressure_where" in answers:
        answers = {**answers, "pressure_demand": typed}
    return start(tree, Case(today=dt.date(2026, 11, 27), context=context, answers=answers))


KINDS: dict[str, dict[str, Any]] = {
    "dispute": DISPUTE,
    "respond": RESPOND,
    "change": CHANGE,
    "nothing": NOTHING,
}


FENCE = re.compile(r"^(`{3,})text\n(.*?)\n\1$", re.MULTILINE | re.DOTALL)


def prose(md: str) -> str:
    """The Markdown outside its fenced blocks (the texts to paste), which show their content
    literally. Each block must close with its own fence: a shorter run of backticks inside
    cannot end it."""
    assert md.count("```") == 2 * len(FENCE.findall(md)) or all(
        "`" * (len(m.group(1))) not in m.group(2) for m in FENCE.finditer(md)
    )
    return FENCE.sub("", md)


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_renders_literally(tree: Tree, kind: str, text: str) -> None:
    walk = walk_with(tree, text, KINDS[kind])
    assert walk.outcome is not None
    md = render_walk(walk, "md")
    txt = render_walk(walk, "txt")

    assert VERBATIM[text] in txt
    fenced = "".join(m.group(2) for m in FENCE.finditer(md))
    assert ESCAPED[text] in md or VERBATIM[text] in fenced
    for document in (md, txt):
        assert not re.search(r"(?<!\d)49(?!\d)", document)  # {{ 7*7 }} was never evaluated
        assert "\x00" not in document
    # Nothing the person wrote forms markup in Markdown: outside the fenced blocks it is
    # escaped, inside them it is shown as it is.
    outside = prose(md)
    assert "<" not in outside and ">" not in outside.replace("\n>", "\n").replace("\n> ", "\n")
    assert "<script>" not in outside and "[click](" not in outside and "![img]" not in outside
    for match in re.finditer(r"\]\(", outside):
        assert outside[match.end() :].startswith("https://"), outside[match.start() - 40 :]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_in_the_ready_texts(tree: Tree, text: str) -> None:
    reply = render_part(walk_with(tree, text, RESPOND), "reply")
    message = render_part(walk_with(tree, text, CHANGE), "message")
    assert reply is not None and message is not None
    for ready in (reply, message):
        assert VERBATIM[text] in ready
        assert "\x00" not in ready


def test_a_20000_character_review(tree: Tree) -> None:
    walk = walk_with(tree, "Dana", DISPUTE, review=LONG_REVIEW)
    txt = render_walk(walk, "txt")
    md = render_walk(walk, "md")
    assert LONG_REVIEW.strip() in txt
    assert escape(LONG_REVIEW.strip(), after_bracket=False) in md
    assert "<b>" not in prose(md) and "[x](" not in prose(md)


def test_right_to_left_override_cannot_reverse_the_tool_text(tree: Tree) -> None:
    """Every U+202E in the output is closed by an isolate before the tool's own words go on."""
    for fmt in ("md", "txt"):
        document = render_walk(walk_with(tree, RTL, RESPOND), fmt)
        for line in document.split("\n"):
            depth = 0
            for char in line:
                if char == "\u2068":
                    depth += 1
                elif char == "\u2069":
                    depth -= 1
                elif char == "\u202e":
                    assert depth > 0, line
            assert depth == 0, line


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_multiline_text_cannot_start_a_heading_or_list(tree: Tree, fmt: Format) -> None:
    review = "fine\n# Heading\n- item\n1. one\n> quote\n---\n    code"
    document = render_walk(walk_with(tree, "Dana", DISPUTE, review=review), fmt)
    if fmt == "md":
        assert "> \\# Heading" in document
        assert "> \\- item" in document
        assert "> 1\\. one" in document
        assert "> &gt; quote" in document
        assert "> \\---" in document
    else:
        assert "    # Heading\n    - item\n    1. one\n    > quote\n    ---" in document


def test_names_are_kept_on_one_line(tree: Tree) -> None:
    reply = render_part(walk_with(tree, "Dana\n\n# Boss", RESPOND), "reply")
    assert reply is not None and reply.startswith("Thank you, Dana # Boss, for")


# --- the escape function itself ------------------------------------------------------------


def _unescape(markdown: str) -> str:
    """What a CommonMark renderer shows for text made by :func:`escape`: backslash escapes and
    the three entities undone."""
    shown = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)
    return shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


SPECIALS = "\\`*_[]|~$@<>&#+-=!()."


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(SPECIALS + "ab 1\n\u202e")) | st.characters()))
def test_escape_shows_exactly_the_text(text: str) -> None:
    escaped = escape(text)
    assert _unescape(escaped) == clean(text)
    # No markup character is left bare.
    bare = re.sub(r"\\[!-/:-@\[-`{-~]", "x", escaped)  # an escaped character is inert
    bare = re.sub(r"&(?:lt|gt|amp);", "x", bare)
    for char in "`*_[]|~$@<>&":
        assert char not in bare, (text, escaped)
    for line in bare.split("\n"):
        assert not re.match(r" {0,3}(?:[#+=-]|\d+[.)])", line), (text, escaped)


def test_terminal_escape_sequences_are_dropped_from_every_output() -> None:
    from triage.documents.markdown import clean

    assert clean("red\x1b[31m alert\x07\tok\nnext\x9b") == "red[31m alert\tok\nnext"
