"""The tree as a graph: edges, reachability, cycles, the most questions left. Iterative
throughout, so a tree of any depth is analysed without recursion."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import cast

from triage.tree.model import NodeBase, Question, Routed, Tree

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Edge:
    """A way from one node to another, with the label shown in diagrams and where it is written."""

    source: str
    target: str
    label: str
    key: str  # "choice:VALUE", "route:N", "otherwise" or "go": identifies the branch for coverage
    where: Path


def node_edges(node_id: str, node: NodeBase) -> Iterator[Edge]:
    """Every edge written on ``node``, in file order."""
    base: Path = ("nodes", node_id)
    if node.is_question:
        question = cast(Question, node)
        for i, choice in enumerate(question.choices):
            if choice.go:
                yield Edge(
                    node_id,
                    choice.go,
                    choice.label,
                    f"choice:{choice.value}",
                    (*base, *question.choice_path(i, choice)),
                )
    if not isinstance(node, Routed):
        return
    for i, candidate in enumerate(node.routes):
        yield Edge(
            node_id,
            candidate.go,
            candidate.because or "if …",
            f"route:{i}",
            (*base, "routes", i, "go"),
        )
    if node.otherwise is not None:
        yield Edge(
            node_id,
            node.otherwise.go,
            node.otherwise.because or "otherwise",
            "otherwise",
            (*base, "otherwise", "go"),
        )
    if node.is_question and cast(Question, node).go:
        yield Edge(node_id, cast(str, cast(Question, node).go), "next", "go", (*base, "go"))


def edges(tree: Tree) -> dict[str, list[Edge]]:
    """Outgoing edges of every node."""
    return {nid: list(node_edges(nid, node)) for nid, node in tree.nodes.items()}


def reachable(start: str, out: Mapping[str, Iterable[str]], avoid: str | None = None) -> set[str]:
    """Nodes reachable from ``start`` (``start`` included), optionally never passing ``avoid``."""
    if start == avoid:
        return set()
    seen = {start}
    queue = deque([start])
    while queue:
        for nxt in out.get(queue.popleft(), ()):
            if nxt not in seen and nxt != avoid:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def successors(tree: Tree) -> dict[str, list[str]]:
    """Target ids of every node's edges, only those that exist."""
    return {
        nid: [e.target for e in es if e.target in tree.nodes] for nid, es in edges(tree).items()
    }


def cycles(out: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected groups that loop (Tarjan's algorithm, iterative), in file order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    position = {nid: i for i, nid in enumerate(out)}
    for root in out:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(out.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(out.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in out.get(node, ()):
                    found.append(sorted(group, key=lambda n: position.get(n, -1)))
    return found


def reaches_outcome(tree: Tree, out: Mapping[str, Iterable[str]]) -> set[str]:
    """Nodes from which some outcome can be reached."""
    incoming: dict[str, list[str]] = {nid: [] for nid in tree.nodes}
    for nid, targets in out.items():
        for t in targets:
            incoming.setdefault(t, []).append(nid)
    good = set(tree.outcomes)
    queue = deque(good)
    while queue:
        for prev in incoming.get(queue.popleft(), ()):
            if prev not in good:
                good.add(prev)
                queue.append(prev)
    return good


def most_questions_left(tree: Tree) -> dict[str, int]:
    """For every node, the most questions (itself included) on any way from it to an outcome.

    Iterative, and safe on trees with loops (a loop is cut where it closes), so a tree that
    ``triage check`` would reject still gets an estimate instead of an error.
    """
    succ = successors(tree)
    best: dict[str, int] = {}
    for root in tree.nodes:
        if root in best:
            continue
        on_stack: set[str] = {root}
        stack: list[tuple[str, list[str]]] = [(root, list(succ.get(root, ())))]
        while stack:
            node, todo = stack[-1]
            while todo and (todo[-1] in best or todo[-1] in on_stack):
                todo.pop()
            if todo:
                child = todo.pop()
                on_stack.add(child)
                stack.append((child, list(succ.get(child, ()))))
                continue
            stack.pop()
            on_stack.discard(node)
            own = 1 if tree.nodes[node].is_question else 0
            best[node] = own + max((best.get(c, 0) for c in succ.get(node, ())), default=0)
    return best
