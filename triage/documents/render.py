"""Documents for a finished walk, rendered from the templates in ``responses/``.

The person's text is data handed to the templates, never template source: a review that says
``{{ 7*7 }}`` comes out as ``{{ 7*7 }}``. Two sandboxed Jinja2 environments (``StrictUndefined``)
write Markdown, where every value from the case is escaped, and plain text. A kind's ready texts
(``responses/kinds.yaml``: ``parts``) are rendered first, tone-checked as the kind says, and
handed to the document. The manual for template authors (which file holds which sentence, what a
template can use, the filters, how Markdown is escaped) is ``docs/templates.md``.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2

from triage.documents.case_facts import OwnLine
from triage.documents.context import (
    FORMATS,
    Format,
    NotFinishedError,
    Record,
    finding_records,
    not_finished,
    template_context,
)
from triage.documents.environment import environment
from triage.documents.markdown import Cleaned, Trusted
from triage.documents.template_checks import template_problems
from triage.errors import TemplateError
from triage.paths import display_path, responses_dir, template_dirs
from triage.text.tone import PURPOSES, Finding, Purpose
from triage.text.tone import check as check_tone
from triage.tree.kinds import kind_of
from triage.tree.model import KindInfo, Outcome
from triage.walk.engine import Walk

__all__ = [
    "Format",
    "NotFinishedError",
    "Record",
    "Rendered",
    "Trusted",
    "render_all",
    "render_document",
    "render_walk",
    "template_context",
    "template_problems",
]


# --- rendering -----------------------------------------------------------------------------


def _where(error: BaseException) -> str:
    """``file:line`` of the innermost template frame of a rendering error, if any."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")]
    if not frames:
        return ""
    return f"{display_path(frames[-1].filename)}:{frames[-1].lineno}: "


def _render(fmt: Format, name: str, values: Mapping[str, Any]) -> str:
    folder = responses_dir()
    env = environment(fmt, template_dirs(str(values["tree"]["id"]), folder))
    try:
        return env.get_template(name).render(values)
    except jinja2.TemplateNotFound as error:
        missing = error.name or name
        raise TemplateError(
            f'template "{missing}" not found in {display_path(folder)}',
            "run triage check to see which templates the tree needs",
        ) from None
    except jinja2.TemplateSyntaxError as error:
        where = f"{display_path(error.filename or name)}:{error.lineno}: "
        raise TemplateError(
            f"{where}template syntax error: {error.message}", "fix the template"
        ) from None
    except jinja2.TemplateError as error:
        raise TemplateError(
            f"{_where(error)}template {name} failed: {error.message or error}",
            "run triage check to find template mistakes",
        ) from None
    except (ArithmeticError, AttributeError, LookupError, TypeError, ValueError) as error:
        raise TemplateError(
            f"{_where(error)}template {name} failed: {type(error).__name__}: {error}",
            "fix the template",
        ) from None


def _part(name: str, values: Mapping[str, Any]) -> str | None:
    """A ready text, rendered as plain text. It is :class:`Cleaned`: every value from the case
    in it was already cleaned once (control characters, right-to-left fences), so the document
    that shows it doesn't clean the whole text again."""
    text = _render("txt", name, values).strip()
    return Cleaned(text) if text else None


def _parts(outcome: Outcome, kind: KindInfo) -> dict[str, str]:
    """The ready texts of the outcome's kind (name -> part template), its fallback parts
    (``fallback_reply: true``) first: a part may quote one rendered before it."""
    parts = dict(kind.fallback) if outcome.fallback_reply else {}
    parts.update(kind.parts)
    return parts


def _prepare(walk: Walk) -> tuple[dict[str, Any], tuple[Finding, ...], tuple[str, ...]]:
    """The template context with the ready texts filled in for the outcome's kind, the tone
    findings on the texts the person will post or send (those the kind tone-checks), and the
    names of the ready texts."""
    values = template_context(walk)
    outcome = walk.outcome
    assert outcome is not None
    kind = kind_of(walk.tree, outcome)
    tone_of = kind.tone
    limit = walk.tree.settings.reply_limit
    findings: dict[str, tuple[Finding, ...]] = dict.fromkeys(PURPOSES, ())
    parts = _parts(outcome, kind)
    for name, template in parts.items():
        values[name] = text = _part(template, values)
        if name in tone_of:
            findings[tone_of[name]] += _tone(text, tone_of[name], limit, walk.tree.platform)
    values["reply_tone"] = finding_records(findings["public_reply"])
    values["message_tone"] = finding_records(findings["client_message"])
    values["review_tone"] = finding_records(findings["client_review"])
    # A sentence the person typed that the tone check flagged is left out of the ready text
    # (the document says so); its findings are still reported, so nothing is lost silently.
    checked = {tone_of[n] for n in tone_of if values.get(n) is not None}
    own: dict[str, Any] = values["own_lines"]
    flagged = {line.question: _flagged(line, checked) for line in own.values()}
    left_out = tuple(line for line in own.values() if flagged[line.question])
    values["left_out"] = left_out
    found = tuple(f for line in left_out for f in flagged[line.question])
    found += findings["public_reply"] + findings["client_message"] + findings["client_review"]
    return values, found, tuple(parts)


def _flagged(line: OwnLine, checked: set[Purpose]) -> tuple[Finding, ...]:
    """The tone findings on the person's sentence in the first checked text (a public reply, a
    message, feedback about the client) that flags it; () when none does."""
    return next((line.findings(p) for p in PURPOSES if p in checked and line.findings(p)), ())


def _values(walk: Walk) -> dict[str, Any]:
    """The template context with the ready texts filled in for the outcome's kind."""
    return _prepare(walk)[0]


def _tone(text: str | None, purpose: Purpose, limit: int, platform: str) -> tuple[Finding, ...]:
    """Tone findings on a ready text. The generated wording passes the check; findings come
    from what the person typed (e.g. what they fixed)."""
    if not text:
        return ()
    return check_tone(text, purpose=purpose, limit=limit, platform=platform).findings


@dataclass(frozen=True)
class Rendered:
    """Everything a finished walk hands over, rendered once from one template context."""

    markdown: str
    text: str
    findings: tuple[Finding, ...]
    left_out: tuple[OwnLine, ...] = ()
    """The person's sentences the tone check flagged, left out of the reply or message."""
    parts: Mapping[str, str | None] = field(default_factory=dict)
    """Every ready text of the outcome's kind, by part name (None: its template wrote nothing)."""

    @property
    def report(self) -> str | None:
        return self.parts.get("report")

    @property
    def reply(self) -> str | None:
        return self.parts.get("reply")

    @property
    def message(self) -> str | None:
        return self.parts.get("message")


def render_all(walk: Walk) -> Rendered:
    """Both documents, the ready texts and their tone findings, from one template context
    (the page needs them all at once; rendering each apart would redo the shared work)."""
    outcome = walk.outcome
    if outcome is None:
        raise not_finished(walk)
    values, findings, parts = _prepare(walk)
    return Rendered(
        markdown=_render("md", f"{outcome.template}.md.j2", values),
        text=_render("txt", f"{outcome.template}.txt.j2", values),
        findings=findings,
        left_out=values["left_out"],
        parts={name: values[name] for name in parts},
    )


def render_document(walk: Walk, fmt: Format) -> tuple[str, tuple[Finding, ...]]:
    """The document for a finished walk as Markdown (``md``) or plain text (``txt``), with the
    tone findings on the reply or message in it (empty when they read well).

    Raises :class:`NotFinishedError` if the walk has not reached an outcome, and
    :class:`~triage.errors.TemplateError` if a template is missing or fails.
    """
    if fmt not in FORMATS:
        raise TemplateError(f'"{fmt}" is not a document format', "use md or txt")
    outcome = walk.outcome
    if outcome is None:
        raise not_finished(walk)
    values, findings, _ = _prepare(walk)
    return _render(fmt, f"{outcome.template}.{fmt}.j2", values), findings


def render_walk(walk: Walk, fmt: Format) -> str:
    """The document for a finished walk (see :func:`render_document`)."""
    return render_document(walk, fmt)[0]


def render_part(walk: Walk, name: str) -> str | None:
    """One ready text of a finished walk's outcome (``reply``, ``report``, ``message``…), as
    plain text; None when the outcome's kind has no such part, or its template writes nothing
    (e.g. a reply once the reply window has closed)."""
    outcome = walk.outcome
    if outcome is None:
        raise not_finished(walk)
    template = _parts(outcome, kind_of(walk.tree, outcome)).get(name)
    return None if template is None else _part(template, template_context(walk))
