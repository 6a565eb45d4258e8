"""The ``triage`` command. A thin view over the library: it parses arguments, calls
``triage.*`` and prints. Exit codes: 0 success, 1 problems found, 2 usage error or unreadable
file. No traceback is shown for bad input."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from triage import commands
from triage.errors import TriageError, UsageError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


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
        "check",
        "Validate every tree in a folder, run the scenarios, report coverage.",
        commands.check,
    )
    p.add_argument("folder", nargs="?", metavar="DIR", help="folder of trees (default: shipped)")
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

    p = add("render", "Write the document for a case's outcome.", commands.render)
    p.add_argument("case", metavar="CASE", help="case file (.yaml or .json)")
    p.add_argument("--format", choices=("md", "txt"), default="md", help="md (default) or txt")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")

    p = add(
        "screen", "Highlight phrases in a review that suggest a removal ground.", commands.screen
    )
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help="review text ('-' = stdin)")
    p.add_argument("--messages", metavar="FILE", help="the client's messages, to screen as well")
    _format(p)

    p = add(
        "tone", "Check a reply's tone before it goes public; exit 1 on findings.", commands.tone
    )
    p.add_argument("file", nargs="?", default="-", metavar="FILE", help="reply text ('-' = stdin)")
    p.add_argument("--limit", type=int, default=None, help="length limit in characters")
    p.add_argument(
        "--private",
        action="store_true",
        help="the text is a private message to the client, not a public reply",
    )
    _format(p)

    p = add("graph", "Print a tree's diagram (DOT or Mermaid).", commands.graph)
    p.add_argument("tree", metavar="TREE", help="tree id or file")
    p.add_argument("--format", choices=("dot", "mermaid"), default="dot")
    p.add_argument("--case", metavar="CASE", help="highlight the path this case walks")

    add("schema", "Print the JSON Schema of the tree format.", commands.schema)
    return parser


def _format(p: argparse.ArgumentParser, default: str | None = "text") -> None:
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default=default,
        help="text (default) or json on standard output",
    )


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out = out or sys.stdout
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
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


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
