"""The JSON shapes of lrkb's public contract (README "JSON shapes"), shared by CLI, web and MCP.

Each function turns library results into plain dicts and lists, ready for `json.dumps`; the shapes
are documented once, in the README, and built once, here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from .models import Answer, Claim, Conflict, Hit, Issue, Passage, Source


def asdict(obj: Any) -> Any:
    """A result dataclass as plain data (`dataclasses.asdict`)."""
    return dataclasses.asdict(obj)


def answer_json(answer: Answer) -> dict[str, Any]:
    """`ask --json`; `bottom_line` and `snippets` appear when the answer engine provides them."""
    out: dict[str, Any] = {
        "question": answer.question,
        "hits": [asdict(h) for h in answer.hits],
        "verdict": asdict(answer.verdict) if answer.verdict else None,
        "conflicts": [asdict(c) for c in answer.conflicts],
        "sources": [asdict(s) for s in answer.sources],
    }
    for name in ("bottom_line", "snippets"):
        if hasattr(answer, name):
            out[name] = [asdict(x) for x in getattr(answer, name)]
    return out


def search_json(query: str, hits: Iterable[Hit]) -> dict[str, Any]:
    """`search --json`."""
    return {"query": query, "hits": [asdict(h) for h in hits]}


def show_json(passage: Passage, source: Source, around: Iterable[Passage]) -> dict[str, Any]:
    """`show --json`: the passage, its source, and its neighbours (the passage itself left out)."""
    return {
        "passage": asdict(passage),
        "source": asdict(source),
        "neighbours": [asdict(p) for p in around if p.id != passage.id],
    }


def sources_json(sources: Iterable[Source]) -> dict[str, Any]:
    """`sources --json`."""
    return {"sources": [asdict(s) for s in sources]}


def passages_json(passages: Iterable[Passage]) -> dict[str, Any]:
    """`passages --json`."""
    return {"passages": [asdict(p) for p in passages]}


def claims_json(issues: Iterable[Issue], claims: Iterable[Claim]) -> dict[str, Any]:
    """`claims --json`."""
    return {"issues": [asdict(i) for i in issues], "claims": [asdict(c) for c in claims]}


def conflicts_json(conflicts: Iterable[Conflict]) -> dict[str, Any]:
    """`conflicts --json`."""
    return {"conflicts": [asdict(x) for x in conflicts]}
