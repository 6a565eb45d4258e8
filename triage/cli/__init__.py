"""The ``triage`` command. A thin view over the library: it parses arguments, calls
``triage.*`` and prints. Exit codes: 0 success, 1 problems found, 2 usage error or unreadable
file. No traceback is shown for bad input.

Everything the command prints goes through :class:`Neutralised`: text from a case or a tree file
(a name, a value quoted in a message) can never move the cursor, retitle the window, reverse the
line or hide text in the terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

from triage.cli import commands
from triage.errors import TriageError, UsageError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

# What `triage tone --for` accepts: triage.text.tone.PURPOSES, written out so that building the
# parser does not load the tone rules' code (tests/test_cli_tone_for.py checks they agree).
TONE_PURPOSES = ("public_reply", "client_message", "client_review")

# C0 controls but tab and newline, DEL, C1 controls, and the bidirectional controls (embeddings,
# overrides, isolates and marks) that reorder what a terminal shows.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise(text: str, json: bool = False) -> str:
    """``text`` with every terminal control shown as an escape: ``\\x1b`` (``\\u001b`` in
    JSON output, where it stays valid JSON and means the same character)."""
    if not UNSAFE.search(text):
        return text

    def shown(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 and not json else f"\\u{code:04x}"

    return UNSAFE.sub(shown, text)


class Neutralised:
    """A text stream that writes through :func:`neutralise`: the one place output passes."""

    def __init__(self, stream: TextIO, json: bool = False) -> None:
        self.stream = stream
        self.json = json

    def write(self, text: str) -> int:
        self.stream.write(neutralise(text, self.json))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:  # isatty, encoding, ... of the real stream
        return getattr(self.stream, name)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"triage: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="triage",
        description="Decide what a freelancer can do about a bad review, from YAML decision trees.",
    )
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    def add(name: str, help_text: str, handler: Callable[..., int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    p = add(
        "validate",
        "Load and check tree files; print FILE:LINE:COL: message per problem.",
        commands.validate,
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="tree files (.yaml)")
    _format(p)

    p = add(
        "new-tree",
        "Start a tree for another platform: decision_trees/<id>.yaml and responses/<id>/, "
        "from a starter that passes triage check.",
        commands.new_tree,
    )
    p.add_argument("platform", metavar="PLATFORM", help='the platform\'s name, e.g. "Trustpilot"')

    p = add(
        "check",
        "Validate every tree in a folder (or one tree file), run the scenarios, report coverage.",
        commands.check,
    )
    p.add_argument(
        "folder",
        nargs="?",
        metavar="DIR|FILE",
        help="folder of trees (default: shipped), or one tree file",
    )
    _format(p)

    p = add(
        "walk",
        "Walk a case file through its tree: the next question or the outcome.",
        commands.walk,
    )
    p.add_argument("case", nargs="?", metavar="CASE", help="case file (.yaml or .json)")
    p.add_argument(
        "--batch",
        metavar="FILE.jsonl",
        help="walk one JSON case per line; one JSON result per line ('-' = stdin)",
    )
    _format(p, default=None)
    _allow_tree_path(p)

    p = add("render", "Write the document for a case's outcome.", commands.render)
    p.add_argument("case", metavar="CASE", help="case file (.yaml or .json)")
    _allow_tree_path(p)
    p.add_argument("--format", choices=("md", "txt"), default="md", help="md (default) or txt")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")

    p = add(
        "screen", "Highlight phrases in a review that suggest a removal ground.", commands.screen
    )
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help="review text ('-' = stdin)")
    p.add_argument("--messages", metavar="FILE", help="the client's messages, to screen as well")
    _format(p)

    p = add(
        "tone",
        "Check the tone of a text before it is posted or sent; exit 1 on findings.",
        commands.tone,
    )
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help="the text ('-' = stdin)")
    p.add_argument(
        "--limit", type=int, default=None, help="length limit in characters (default: 1500)"
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument(
        "--for",
        dest="purpose",
        choices=TONE_PURPOSES,
        default="public_reply",
        help="what the text is: public_reply (default; the reply beside the client's review), "
        "client_message (a private message to the client) or client_review (your public "
        "feedback about the client)",
    )
    what.add_argument(
        "--private",
        dest="purpose",
        action="store_const",
        const="client_message",
        help="the same as --for client_message",
    )
    p.add_argument(
        "--platform",
        default="the platform",
        help='the platform named in the findings\' advice, e.g. Upwork (default: "the platform")',
    )
    _format(p)

    p = add("graph", "Print a tree's diagram (DOT or Mermaid).", commands.graph)
    p.add_argument("tree", metavar="TREE", help="tree id or file")
    p.add_argument("--format", choices=("dot", "mermaid"), default="dot")
    p.add_argument("--case", metavar="CASE", help="highlight the path this case walks")

    add("schema", "Print the JSON Schema of the tree format.", commands.schema)
    return parser


def _allow_tree_path(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-tree-path",
        action="store_true",
        help="let the case's tree: name a tree file outside the trees folder",
    )


def _format(p: argparse.ArgumentParser, default: str | None = "text") -> None:
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default=default,
        help="text (default) or json on standard output",
    )


# Pydantic looks for plugins in the metadata of every installed package the first time it builds
# a model (about 50 ms, more than a whole walk); the command uses none. A value the person sets
# (PYDANTIC_DISABLE_PLUGINS= to load them all) is kept.
_PLUGINS = "PYDANTIC_DISABLE_PLUGINS"


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    if _PLUGINS in os.environ:
        return _main(argv, out)
    os.environ[_PLUGINS] = "__all__"
    try:
        return _main(argv, out)
    finally:
        os.environ.pop(_PLUGINS, None)


def _main(argv: Sequence[str] | None, out: TextIO | None) -> int:
    stream = out or sys.stdout
    # Standard error (messages, argparse's complaints) is neutralised for the whole run.
    with contextlib.redirect_stderr(cast(TextIO, Neutralised(sys.stderr))):
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as stop:
            return int(stop.code or 0)
        json = (
            getattr(args, "format", None) == "json"
            or bool(getattr(args, "batch", None))
            or args.command == "schema"
        )
        return _run(args, cast(TextIO, Neutralised(stream, json)))


def _run(args: argparse.Namespace, out: TextIO) -> int:
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    try:
        return handler(args, out)
    except UsageError as error:
        _say(str(error))
        return EXIT_USAGE
    except TriageError as error:
        _say(str(error))
        return EXIT_PROBLEMS
    except BrokenPipeError:  # e.g. piped into `head`: the reader left, nothing to report
        return EXIT_OK
    except OSError as error:
        _say(
            f"cannot read {Path(error.filename).name if error.filename else 'input'}: "
            f"{error.strerror or error}"
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug, not bad input: say so briefly, without a traceback
        if os.environ.get("TRIAGE_DEBUG"):
            raise
        _say(f"internal error ({type(error).__name__}); set TRIAGE_DEBUG=1 for details")
        return 3


def _say(message: str) -> None:
    sys.stderr.write(f"triage: {message}\n")
