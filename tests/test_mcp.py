"""`lrkb mcp` as a real subprocess, spoken to over stdio with the MCP SDK's client."""

from __future__ import annotations

import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from click.testing import CliRunner

from lrkb.cli import cli

mcp = pytest.importorskip("mcp", reason="pip install 'lrkb[mcp]'")
from mcp.client.stdio import StdioServerParameters  # noqa: E402


def talk(corpus: Path, conversation: Callable[[Any], Awaitable[Any]]) -> Any:
    """Start `lrkb mcp` on `corpus`, run `conversation(client)`, stop it."""
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "lrkb", "--corpus", str(corpus), "mcp"]
    )

    async def run() -> Any:
        async with mcp.Client(params) as client:
            return await conversation(client)

    return anyio.run(run)


def cli_json(corpus: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--corpus", str(corpus), *args, "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_tools_answer_in_the_cli_json_shapes(real_corpus: Path) -> None:
    async def conversation(client: Any) -> dict[str, Any]:
        tools = await client.list_tools()
        out: dict[str, Any] = {"tools": sorted(t.name for t in tools.tools)}
        for name, args in [
            ("search", {"query": "interference effect", "k": 2}),
            ("ask", {"question": "does running kill gains"}),
            ("conflicts", {"issue": "running-recovery"}),
        ]:
            result = await client.call_tool(name, args)
            assert not result.is_error, result.content
            out[name] = result.structured_content
            # the text content carries the same JSON, for clients that read only text
            assert json.loads(result.content[0].text) == result.structured_content
        return out

    got = talk(real_corpus, conversation)
    assert got["tools"] == ["ask", "conflicts", "search", "show"]
    assert got["search"] == cli_json(real_corpus, "search", "interference effect", "-k", "2")
    assert got["ask"] == cli_json(real_corpus, "ask", "does running kill gains")
    expected = cli_json(real_corpus, "conflicts", "--issue", "running-recovery")["conflicts"]
    assert got["conflicts"]["conflicts"] == expected
    # every conflict's sides are cited: the titles of their sources come along
    titles = {s["id"]: s["title"] for s in got["conflicts"]["sources"]}
    assert {c["source"] for x in expected for c in (x["a"], x["b"])} == set(titles)


def test_every_hit_carries_its_citation(real_corpus: Path) -> None:
    async def conversation(client: Any) -> Any:
        return await client.call_tool("ask", {"question": "can I sprint after squats", "k": 3})

    result = talk(real_corpus, conversation)
    hits = result.structured_content["hits"]
    assert hits
    for hit in hits:
        text = (real_corpus / f"{hit['source']}.md").read_text(encoding="utf-8")
        assert {"source", "title", "id", "text", "start", "end"} <= set(hit)
        # the span points at the passage in its file (passages are whitespace-normalised)
        assert hit["text"].split()[0].strip("-") in text[hit["start"] : hit["end"]]


def test_show_returns_the_passage_with_neighbours(real_corpus: Path) -> None:
    pid = cli_json(real_corpus, "search", "sprint", "-k", "1")["hits"][0]["id"]

    async def conversation(client: Any) -> Any:
        return (await client.call_tool("show", {"passage_id": pid, "n": 2})).structured_content

    assert talk(real_corpus, conversation) == cli_json(real_corpus, "show", pid, "-n", "2")


def test_bad_arguments_are_tool_errors_and_the_server_lives_on(real_corpus: Path) -> None:
    async def conversation(client: Any) -> list[tuple[bool, str]]:
        out = []
        for name, args in [
            ("ask", {"question": "x" * 2001}),
            ("ask", {"question": "   "}),
            ("search", {"query": "sprint", "k": 0}),
            ("search", {"query": "sprint", "k": "lots"}),
            ("show", {"passage_id": "no-such:passage"}),
            ("show", {"passage_id": "no-such:passage", "n": 99}),
            ("conflicts", {"issue": "bogus"}),
            ("search", {"query": "sprint", "k": 1}),  # still answering after all that
        ]:
            result = await client.call_tool(name, args)
            out.append((result.is_error, result.content[0].text))
        return out

    results = talk(real_corpus, conversation)
    expected = [
        "question is too long: 2001 characters",
        "the question is empty",
        "k must be between 1 and 1000, got 0",
        "k",
        "no passage with id 'no-such:passage'",
        "n must be between 0 and 20, got 99",
        "no issue with id 'bogus'",
    ]
    for (is_error, text), message in zip(results, expected, strict=False):
        assert is_error and message in text, text
    assert results[-1][0] is False and "sprint" in results[-1][1].lower()
