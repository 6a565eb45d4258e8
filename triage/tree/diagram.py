"""Diagrams of a tree: Graphviz DOT (for the page's ``st.graphviz_chart``) and Mermaid (for
Markdown), with a walked path highlighted."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from triage.errors import TriageError
from triage.tree.kinds import kinds_of
from triage.tree.model import Branch, Outcome, Tree
from triage.tree.topology import Edge, edges

WALKED_FILL = "#ffe8a3"
WALKED_LINE = "#c77700"


def _fills(tree: Tree) -> dict[str, str]:
    """The diagram colour of each kind's outcomes, declared with the kind (looked up once per
    drawing). A kind declared nowhere, or unreadable kinds, are drawn grey."""
    try:
        kinds = kinds_of(tree)
    except TriageError:
        kinds = {}
    return {
        o.kind: kinds[o.kind].diagram if o.kind in kinds else "#eeeeee"
        for o in tree.outcomes.values()
    }


def _label(tree: Tree, nid: str) -> str:
    node = tree.nodes[nid]
    if isinstance(node, Outcome):
        text = f"{node.kind.replace('_', ' ').upper()}: {node.title}"
    elif isinstance(node, Branch):
        text = node.title or nid.replace("_", " ")
    elif node.is_question:
        text = node.short or node.ask
    else:  # pragma: no cover - the union is exhaustive
        text = nid
    return "\n".join(textwrap.wrap(text, 28, max_lines=4, placeholder=" …")) or nid


def _walked_edges(path: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    return set(path)


def _dot_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(tree: Tree, walked: Iterable[tuple[str, str]] = (), current: str | None = None) -> str:
    """DOT source. ``walked`` holds (from, to) pairs of the path; ``current`` is where it stands."""
    path = _walked_edges(walked)
    on_path = {n for pair in path for n in pair} | ({current} if current else set())
    fills = _fills(tree)
    lines = [
        f"digraph {_dot_quote(tree.id)} {{",
        '  graph [rankdir=TB, bgcolor="transparent", fontname="Helvetica", nodesep=0.3];',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#888888", '
        'fontname="Helvetica", fontsize=10];',
        '  edge [color="#999999", fontname="Helvetica", fontsize=9, fontcolor="#555555"];',
    ]
    for nid, node in tree.nodes.items():
        attrs = [f"label={_dot_quote(_label(tree, nid))}", f"tooltip={_dot_quote(nid)}"]
        if isinstance(node, Outcome):
            attrs.append(f'fillcolor="{fills[node.kind]}"')
            attrs.append("shape=box")
            attrs.append('style="filled,bold"' if nid in on_path else 'style="filled"')
        elif isinstance(node, Branch):
            attrs.append("shape=diamond")
        if nid in on_path:
            if not isinstance(node, Outcome):
                attrs.append(f'fillcolor="{WALKED_FILL}"')
            attrs.append(f'color="{WALKED_LINE}"')
            attrs.append("penwidth=2.5" if nid == current else "penwidth=1.8")
        lines.append(f"  {_dot_quote(nid)} [{', '.join(attrs)}];")
    for es in edges(tree).values():
        for e in _real(tree, es):
            attrs = [f"label={_dot_quote(_short(e.label))}"]
            if (e.source, e.target) in path:
                attrs += [f'color="{WALKED_LINE}"', "penwidth=2.2", f'fontcolor="{WALKED_LINE}"']
            lines.append(
                f"  {_dot_quote(e.source)} -> {_dot_quote(e.target)} [{', '.join(attrs)}];"
            )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _real(tree: Tree, es: Iterable[Edge]) -> list[Edge]:
    return [e for e in es if e.target in tree.nodes]


def _short(text: str) -> str:
    return textwrap.shorten(text, 40, placeholder="…")


def _mermaid_text(text: str) -> str:
    # Mermaid has no backslash escapes; it takes HTML entity codes inside quoted labels.
    return (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("\n", "<br/>")
    )


def to_mermaid(
    tree: Tree, walked: Iterable[tuple[str, str]] = (), current: str | None = None
) -> str:
    """Mermaid flowchart source, with the walked path in a highlighted class."""
    path = _walked_edges(walked)
    on_path = {n for pair in path for n in pair} | ({current} if current else set())
    lines = ["flowchart TD"]
    for nid, node in tree.nodes.items():
        label = f'"{_mermaid_text(_label(tree, nid))}"'
        if isinstance(node, Outcome):
            lines.append(f"  {nid}([{label}])")
        elif isinstance(node, Branch):
            lines.append(f"  {nid}{{{label}}}")
        else:
            lines.append(f"  {nid}[{label}]")
    walked_links: list[int] = []
    index = 0
    for es in edges(tree).values():
        for e in _real(tree, es):
            lines.append(f'  {e.source} -->|"{_mermaid_text(_short(e.label))}"| {e.target}')
            if (e.source, e.target) in path:
                walked_links.append(index)
            index += 1
    for kind, colour in _fills(tree).items():
        members = [k for k, v in tree.outcomes.items() if v.kind == kind]
        if members:
            lines.append(f"  classDef {kind} fill:{colour},stroke:#888888;")
            lines.append(f"  class {','.join(members)} {kind};")
    if on_path:
        lines.append(f"  classDef walked fill:{WALKED_FILL},stroke:{WALKED_LINE},stroke-width:2px;")
        lines.append(f"  class {','.join(n for n in tree.nodes if n in on_path)} walked;")
    if walked_links:
        ids = ",".join(str(i) for i in walked_links)
        lines.append(f"  linkStyle {ids} stroke:{WALKED_LINE},stroke-width:3px;")
    return "\n".join(lines) + "\n"
