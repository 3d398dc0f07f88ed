"""`lrkb mcp`: the knowledge base as a Model Context Protocol server over stdio.

A thin layer like `cli.py`: each tool makes one library call and returns the CLI's JSON shape
(`lrkb.jsonout`), so every passage and claim an assistant quotes carries its citation: source,
title, passage id, the quoted text and its character span in the article file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from . import jsonout
from .errors import LrkbError
from .live import LiveKnowledgeBase

T = TypeVar("T")

INSTRUCTIONS = """Answers questions from a local corpus of articles with cited passages, and shows
where the sources disagree. Quote passages with their title and passage id; `show` prints a
passage with its neighbours."""


def _call(make: Callable[[], T]) -> T:
    """Run one library call; lrkb's errors become tool errors with their one-line message."""
    try:
        return make()
    except LrkbError as e:
        raise ToolError(str(e)) from None


def create_server(corpus: str | Path | None = None) -> MCPServer:
    """An MCP server with the tools search, ask, conflicts and show over `corpus`.

    The corpus is opened at once (a broken one fails before serving) and reopened when it
    changes on disk.
    """
    library = LiveKnowledgeBase(corpus)
    server = MCPServer("lrkb", instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool()
    def search(query: str, k: int = 5) -> dict[str, Any]:
        """Passages most similar to `query`, best first: {"query", "hits": [Hit]}.

        Each hit: id (passage id), source, title, section, text (the quote), score, start/end
        (character span in the article file), line_start/line_end. k is 1-1000.
        """
        return _call(lambda: jsonout.search_json(query, library().search(query, k=k)))

    @server.tool()
    def ask(question: str, k: int = 5) -> dict[str, Any]:
        """Answer `question` from the corpus: cited passages, how the sources lean on the
        contested issue it is about (verdict), and the conflicts between them.

        Returns {"question", "hits": [Hit], "verdict", "conflicts": [Conflict], "sources"};
        "hits" is empty when nothing in the corpus is relevant. k is 1-1000.
        """
        return _call(lambda: jsonout.answer_json(library().ask(question, k=k)))

    @server.tool()
    def conflicts(issue: str | None = None, detected_only: bool = False) -> dict[str, Any]:
        """Pairs of claims that disagree, optionally on one issue id: {"conflicts": [Conflict],
        "sources": [Source]}. Each side ("a", "b") is a claim with source, passage id, text and
        start/end span; "sources" gives the titles."""

        def run() -> dict[str, Any]:
            kb = library()
            found = kb.conflicts(issue=issue, detected_only=detected_only)
            cited = {c.source for x in found for c in (x.a, x.b)}
            return {
                **jsonout.conflicts_json(found),
                **jsonout.sources_json(s for s in kb.sources if s.id in cited),
            }

        return _call(run)

    @server.tool()
    def show(passage_id: str, n: int = 1) -> dict[str, Any]:
        """The passage `passage_id` with up to `n` (0-20) neighbours each side and its source:
        {"passage", "source", "neighbours"}."""

        def run() -> dict[str, Any]:
            if not 0 <= n <= 20:
                raise ToolError(f"n must be between 0 and 20, got {n}")
            kb = library()
            passage = kb.passage(passage_id)
            around = kb.neighbours(passage_id, n)
            return jsonout.show_json(passage, kb.source(passage.source), around)

        return _call(run)

    return server
