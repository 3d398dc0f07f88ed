"""Every command through click's CliRunner, with the documented JSON shapes and exit codes."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lrkb.cli import cli

HIT_KEYS = {"id", "source", "title", "section", "text", "score"}


def run(corpus: Path, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["--corpus", str(corpus), *args])
    assert result.exit_code == code, (result.output, result.exception)
    assert "Traceback" not in result.output
    return result.output


def test_every_command_has_help_text() -> None:
    for name, command in cli.commands.items():
        assert command.help and len(command.help) > 20, name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_ask_prints_citations_verdict_conflicts_and_sources(real_corpus: Path) -> None:
    out = run(real_corpus, "ask", "does running kill gains")
    assert out.startswith("Bottom line\n  “")
    assert "\nVerdict: " in out
    assert "[1] " in out and "[5] " in out
    assert "Conflicts that bear on this question" in out
    assert out.rstrip().split("\n")[-1].startswith("  [")  # the sources list ends the answer
    assert "\nSources\n" in out
    full = run(real_corpus, "ask", "does running kill gains", "--full")
    assert full.startswith("Bottom line\n") and "Conflicts that bear on this question" in full


@pytest.mark.parametrize("columns", ["100", "50"])
def test_ask_names_each_sources_site_and_cuts_the_title_first(
    real_corpus: Path, columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    out = run(real_corpus, "ask", "does running kill gains")
    listed = out.rstrip().split("\nSources\n")[1].split("\n")
    sources = {s["id"]: s for s in json.loads(run(real_corpus, "sources", "--json"))["sources"]}
    cited = json.loads(run(real_corpus, "ask", "does running kill gains", "--json"))["sources"]
    sites = {sources[s["id"]]["url"].split("/")[2].removeprefix("www.") for s in cited}
    assert len(listed) == len(cited) == len(sites) > 1
    assert {line.rsplit(" (", 1)[1].rstrip(")") for line in listed} == sites
    assert all(len(line) <= int(columns) - 2 for line in listed)
    full = run(real_corpus, "ask", "does running kill gains", "--full")
    assert all(f"<{sources[s['id']]['url']}>" in full for s in cited)


def test_ask_json_shape(real_corpus: Path) -> None:
    data = json.loads(
        run(real_corpus, "ask", "is a light jog good for recovery", "--json", "-k", "3")
    )
    assert set(data) >= {"question", "hits", "verdict", "conflicts"}
    assert data["question"] == "is a light jog good for recovery"
    assert 1 <= len(data["hits"]) <= 3 and set(data["hits"][0]) >= HIT_KEYS
    for x in data["conflicts"]:
        assert {"id", "issue", "kind", "origin", "why", "a", "b"} <= set(x)
        assert {"source", "passage", "text", "start", "end", "stance"} <= set(x["a"])


def test_ask_abstains_with_exit_1(real_corpus: Path) -> None:
    out = run(real_corpus, "ask", "how do I renew my passport", code=1)
    assert "Nothing in this corpus answers" in out
    data = json.loads(run(real_corpus, "ask", "how do I renew my passport", "--json", code=1))
    assert data["hits"] == [] and data["question"] == "how do I renew my passport"


def test_search_json_shape(real_corpus: Path) -> None:
    data = json.loads(run(real_corpus, "search", "interference effect", "--json", "-k", "2"))
    assert data["query"] == "interference effect"
    assert len(data["hits"]) == 2 and set(data["hits"][0]) >= HIT_KEYS
    assert data["hits"][0]["source"] == "concurrent-training-interference"
    assert data["hits"][0]["score"] >= data["hits"][1]["score"]


def test_passages_sources_show(real_corpus: Path) -> None:
    passages = json.loads(run(real_corpus, "passages", "--json"))["passages"]
    assert {"id", "source", "section", "text"} <= set(passages[0])
    sources = json.loads(run(real_corpus, "sources", "--json"))["sources"]
    assert [s["id"] for s in sources] == [
        "can-you-run-after-leg-day",
        "concurrent-training-interference",
        "does-running-after-leg-day-hinder-gains",
        "does-running-count-as-leg-day",
        "running-after-leg-day",
    ]
    assert {"id", "title", "url", "path", "passages"} <= set(sources[0])
    assert sum(s["passages"] for s in sources) == len(passages)
    target = passages[3]["id"]
    shown = run(real_corpus, "show", target)
    assert f"▶ {target}" in shown and passages[2]["id"] in shown
    data = json.loads(run(real_corpus, "show", target, "--json"))
    assert data["passage"]["id"] == target
    assert "lrkb: error: no passage with id 'nope'" in run(real_corpus, "show", "nope", code=2)


def test_claims_and_conflicts_commands(real_corpus: Path) -> None:
    data = json.loads(run(real_corpus, "claims", "--issue", "running", "--json"))
    claims = data["claims"]
    assert claims and all(c["issue"] == "running" for c in claims)
    assert all({"agent", "outcome", "direction"} <= set(c) for c in claims)
    assert {"agent", "outcome"} <= set(data["issues"][0])
    text = run(real_corpus, "claims", "--source", "concurrent-training-interference")
    assert "running worsens muscle size" in text or "cardio worsens muscle size" in text
    conflicts = json.loads(run(real_corpus, "conflicts", "--json"))["conflicts"]
    assert conflicts and {c["origin"] for c in conflicts} == {"detected"}
    text = run(real_corpus, "conflicts", "--issue", "running")
    assert "scope" in text and "timing" in text
    assert (
        json.loads(run(real_corpus, "conflicts", "--detected-only", "--json"))["conflicts"]
        == conflicts
    )
    run(real_corpus, "conflicts", "--issue", "nope", code=2)


def test_add_command_reports_dropped_lines(tiny_corpus: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Cycling After Leg Day\n\nCycling is low impact and easy on sore legs.\n\n"
        "Leave a Reply\n\nYour email address will not be published.\n"
    )
    out = run(tiny_corpus, "add", str(article))
    assert "added cycling-after-leg-day" in out and "(comment form)" in out
    data = json.loads(run(tiny_corpus, "add", str(article), "--id", "cycling-2", "--json"))
    assert data["source"]["id"] == "cycling-2" and data["dropped"][0]["reason"] == "comment form"


@pytest.mark.parametrize(
    "args", [["ask", "x", "-k", "0"], ["ask", "x", "-k", "-1"], ["search", "x", "-k", "100000"]]
)
def test_bad_k_is_a_usage_error(tiny_corpus: Path, args: list[str]) -> None:
    out = run(tiny_corpus, *args, code=2)
    assert "-k" in out or "--top" in out


def test_python_m_lrkb_runs() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "lrkb", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "lrkb" in result.stdout


def test_progress_bar_only_on_a_terminal(
    tiny_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from lrkb import cli as cli_module

    seen: list[object] = []

    class Recorder(cli_module.KnowledgeBase):
        def __init__(self, *args: object, **kwargs: object) -> None:
            seen.append(kwargs.get("progress"))
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cli_module, "KnowledgeBase", Recorder)
    run(tiny_corpus, "search", "water")  # CliRunner's streams are not terminals
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert isinstance(
        cli_module._kb(click_context(tiny_corpus), as_json=False).progress, cli_module._Progress
    )
    assert cli_module._kb(click_context(tiny_corpus), as_json=True).progress is None
    assert seen[0] is None


def click_context(corpus: Path) -> object:
    import click

    ctx = click.Context(cli)
    ctx.obj = {"corpus": corpus}
    return ctx
