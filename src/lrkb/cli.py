"""The `lrkb` command: a thin layer that parses arguments, makes one library call, prints."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .analysis import strip_control
from .errors import LrkbError
from .kb import MAX_K, KnowledgeBase
from .models import Answer, Claim, Conflict, Hit


def safe(text: str) -> str:
    """Article text with terminal control sequences removed: an article cannot drive the terminal."""
    return strip_control(text)


def _width() -> int:
    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns) - 2)


def _wrap(text: str, indent: str = "    ") -> str:
    return "\n".join(
        textwrap.fill(safe(para), _width(), initial_indent=indent, subsequent_indent=indent)
        for para in text.split("\n")
        if para.strip()
    )


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _asdict(obj: Any) -> Any:
    return dataclasses.asdict(obj)


class _Progress:
    """A one-line progress bar on stderr, shown only on a terminal."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        filled = int(30 * done / max(total, 1))
        click.echo(
            f"\r{stage:<9} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", err=True, nl=False
        )
        self.shown = True
        if done >= total:
            click.echo("", err=True)


class _Group(click.Group):
    """Turns lrkb's errors into one line on stderr and their exit code; never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LrkbError as e:
            click.echo(f"lrkb: error: {safe(str(e))}", err=True)
            ctx.exit(e.exit_code)
        except BrokenPipeError:
            raise
        except OSError as e:
            click.echo(f"lrkb: error: {safe(str(e))}", err=True)
            ctx.exit(2)


def _kb(ctx: click.Context, as_json: bool = False) -> KnowledgeBase:
    # A bar only for a person watching: not when output is piped or read as JSON.
    progress = _Progress() if sys.stdout.isatty() and sys.stderr.isatty() and not as_json else None
    return KnowledgeBase(ctx.obj["corpus"], progress=progress, notify=_notify)


def _notify(message: str) -> None:
    click.echo(f"lrkb: {safe(message)}", err=True)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (schema in README).")
top_option = click.option(
    "-k",
    "--top",
    "k",
    type=click.IntRange(1, MAX_K),
    default=5,
    show_default=True,
    help=f"How many passages (1-{MAX_K}).",
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--corpus",
    type=click.Path(path_type=Path),
    envvar="LRKB_CORPUS",
    help="Corpus directory (default: $LRKB_CORPUS, else the bundled corpus).",
)
@click.version_option(package_name="lrkb")
@click.pass_context
def cli(ctx: click.Context, corpus: Path | None) -> None:
    """lrkb: answers questions from a set of articles with cited passages, and shows where the
    sources disagree.

    \b
    Examples:
      lrkb ask "does running kill gains"
      lrkb search "interference effect" -k 3
      lrkb conflicts
      lrkb add article.txt --title "My Article"
    """
    ctx.obj = {"corpus": corpus}


def _print_hit(n: int, hit: Hit, mark: str = "") -> None:
    section = f" › {hit.section}" if hit.section else ""
    click.echo(
        click.style(f"[{n}] {safe(hit.title)}{safe(section)}", bold=True)
        + click.style(f"  ({hit.id}, score {hit.score:.2f})", dim=True)
    )
    click.echo(_wrap(hit.text))
    if mark:
        click.echo(click.style(f"    {mark}", fg="yellow"))


def _quote(claim: Claim, limit: int = 220) -> str:
    text = " ".join(claim.text.split())
    return safe(text if len(text) <= limit else text[: limit - 1] + "…")


@cli.command()
@click.argument("question")
@top_option
@json_option
@click.pass_context
def ask(ctx: click.Context, question: str, k: int, as_json: bool) -> None:
    """Answer QUESTION with cited passages, where the sources stand, and their conflicts.

    Exits 1 when nothing in the corpus is relevant.
    """
    answer = _kb(ctx, as_json).ask(question, k=k)
    if as_json:
        _emit_json(_answer_json(answer))
    else:
        _print_answer(answer)
    if answer.abstained:
        ctx.exit(1)


def _answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "hits": [_asdict(h) for h in answer.hits],
        "verdict": _asdict(answer.verdict) if answer.verdict else None,
        "conflicts": [_asdict(c) for c in answer.conflicts],
        "sources": [_asdict(s) for s in answer.sources],
    }


def _print_answer(answer: Answer) -> None:
    if answer.abstained:
        click.echo(f"Nothing in this corpus answers {safe(answer.question)!r}.")
        click.echo("Try other words, or `lrkb search` to see what the corpus holds.")
        return
    number = {h.id: n for n, h in enumerate(answer.hits, 1)}
    refs: list[tuple[str, str]] = [(h.id, h.source) for h in answer.hits]

    def cite(claim: Claim) -> str:
        if claim.passage not in number:
            refs.append((claim.passage, claim.source))
            number[claim.passage] = len(refs)
        return f"[{number[claim.passage]}]"

    if answer.verdict:
        click.echo(click.style("Answer: ", bold=True) + safe(answer.verdict.summary))
        click.echo(click.style(f"        on: {safe(answer.verdict.issue.question)}", dim=True))
    else:
        click.echo(
            click.style("Answer: ", bold=True)
            + "the passages below are the most relevant; no contested issue matches this question."
        )
    click.echo()
    conflicted: dict[str, list[int]] = {}
    for n, x in enumerate(answer.conflicts, 1):
        for c in (x.a, x.b):
            conflicted.setdefault(c.passage, []).append(n)
    for n, hit in enumerate(answer.hits, 1):
        marks = conflicted.get(hit.id)
        mark = (
            f"⚠ conflicts: see C{', C'.join(map(str, sorted(set(marks))))} below" if marks else ""
        )
        _print_hit(n, hit, mark)
        click.echo()
    if answer.verdict:
        click.echo(click.style("Where the sources stand", bold=True))
        width = max(len(lean.stance) for lean in answer.verdict.leans) + 2
        for lean in answer.verdict.leans:
            click.echo(f"  {safe(lean.stance):<{width}}{safe(lean.title)} {cite(lean.claim)}")
            click.echo(_wrap(f"“{_quote(lean.claim)}”", " " * (width + 2)))
        click.echo()
    if answer.conflicts:
        click.echo(click.style("Conflicts that bear on this question", bold=True))
        for n, x in enumerate(answer.conflicts[:5], 1):
            _print_conflict(f"C{n}", x, cite)
        if len(answer.conflicts) > 5:
            click.echo(
                f"  … {len(answer.conflicts) - 5} more: lrkb conflicts --issue {answer.conflicts[5].issue}"
            )
        click.echo()
    click.echo(click.style("Sources", bold=True))
    titles = {s.id: s for s in answer.sources}
    for n, (pid, source_id) in enumerate(refs, 1):
        s = titles.get(source_id)
        title = safe(s.title) if s else source_id
        where = f" <{safe(s.url)}>" if s and s.url else ""
        click.echo(f"  [{n}] {title}{where} — {pid}")


def _print_conflict(label: str, x: Conflict, cite: Callable[[Claim], str] | None = None) -> None:
    origin = "" if x.origin == "detected" else f" ({x.origin})"
    click.echo(click.style(f"  {label} {x.kind}{origin}", fg="yellow") + f" — {safe(x.why)}")
    for c in (x.a, x.b):
        ref = cite(c) if cite else f"({c.passage})"
        click.echo(_wrap(f"{c.stance}: “{_quote(c)}” — {c.source} {ref}", "     "))


@cli.command()
@click.argument("query")
@top_option
@json_option
@click.pass_context
def search(ctx: click.Context, query: str, k: int, as_json: bool) -> None:
    """Rank passages by similarity to QUERY (exits 1 when none match)."""
    hits = _kb(ctx, as_json).search(query, k=k)
    if as_json:
        _emit_json({"query": query, "hits": [_asdict(h) for h in hits]})
    else:
        for n, hit in enumerate(hits, 1):
            _print_hit(n, hit)
            click.echo()
        if not hits:
            click.echo(f"No passage matches {safe(query)!r}.")
    if not hits:
        ctx.exit(1)


@cli.command()
@click.argument("passage_id")
@click.option(
    "-n",
    "--context",
    "n",
    type=click.IntRange(0, 20),
    default=1,
    show_default=True,
    help="Neighbouring passages to show on each side.",
)
@json_option
@click.pass_context
def show(ctx: click.Context, passage_id: str, n: int, as_json: bool) -> None:
    """Show the passage PASSAGE_ID with its neighbours and where it sits in its file."""
    kb = _kb(ctx, as_json)
    passage = kb.passage(passage_id)
    around = kb.neighbours(passage_id, n)
    source = kb.source(passage.source)
    if as_json:
        _emit_json(
            {
                "passage": _asdict(passage),
                "source": _asdict(source),
                "neighbours": [_asdict(p) for p in around if p.id != passage_id],
            }
        )
        return
    for p in around:
        here = p.id == passage_id
        head = f"{'▶ ' if here else '  '}{p.id} · {safe(source.title)}" + (
            f" › {safe(p.section)}" if p.section else ""
        )
        click.echo(click.style(head, bold=here, dim=not here))
        lines = (
            f"line {p.line_start}"
            if p.line_start == p.line_end
            else f"lines {p.line_start}-{p.line_end}"
        )
        click.echo(
            click.style(
                f"    {source.path}, {lines}, characters {p.start}-{p.end}",
                dim=True,
            )
        )
        click.echo(_wrap(p.text))
        click.echo()


@cli.command()
@json_option
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """List the articles of the corpus."""
    found = _kb(ctx, as_json).sources
    if as_json:
        _emit_json({"sources": [_asdict(s) for s in found]})
        return
    for s in found:
        click.echo(
            f"{s.id}  ({s.passages} passages)\n    {safe(s.title)}"
            + (f"\n    {safe(s.url)}" if s.url else "")
        )


@cli.command()
@click.option("--source", help="Only passages of this source id.")
@json_option
@click.pass_context
def passages(ctx: click.Context, source: str | None, as_json: bool) -> None:
    """List every passage with its id and section."""
    kb = _kb(ctx, as_json)
    if source is not None:
        kb.source(source)
    found = [p for p in kb.passages if source is None or p.source == source]
    if as_json:
        _emit_json({"passages": [_asdict(p) for p in found]})
        return
    for p in found:
        words = " ".join(p.text.split())
        click.echo(
            f"{p.id}  {safe(p.section) or '(introduction)'}\n    {safe(words[:90])}{'…' if len(words) > 90 else ''}"
        )


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--title", help="Article title (default: from the file).")
@click.option("--url", help="Where the article was found.")
@click.option("--id", "source_id", help="Source id (default: made from the title).")
@json_option
@click.pass_context
def add(
    ctx: click.Context,
    file: Path,
    title: str | None,
    url: str | None,
    source_id: str | None,
    as_json: bool,
) -> None:
    """Add FILE (.md, or plain text copied from a web page) to the corpus.

    Plain text is imported: headings and lists are found, boilerplate (SEO keyword lines, comment
    forms, affiliate notes) is dropped and reported. The index follows (a small segment is
    written beside it; see `lrkb optimize`).
    """
    added = _kb(ctx, as_json).add(file, title=title, url=url, source_id=source_id)
    if as_json:
        _emit_json(
            {
                "source": _asdict(added.source),
                "path": str(added.path),
                "dropped": [_asdict(d) for d in added.dropped],
            }
        )
        return
    click.echo(
        f"added {added.source.id}: {safe(added.source.title)} ({added.source.passages} passages) -> {added.path}"
    )
    for d in added.dropped:
        click.echo(f"  dropped line {d.line} ({d.reason}): {safe(d.text[:70])}")


@cli.command()
@json_option
@click.pass_context
def optimize(ctx: click.Context, as_json: bool) -> None:
    """Fold the articles added since the last build into one index (the answers stay the same).

    `lrkb add` writes a small segment beside the index instead of rewriting it; a build folds
    segments in when they grow, and this command does it now.
    """
    done = _kb(ctx, as_json).optimize()
    if as_json:
        _emit_json(_asdict(done))
        return
    click.echo(
        f"optimized: {done.folded} added articles folded in; "
        f"{done.sources} sources, {done.passages} passages in one index"
    )


@cli.command()
@click.option("--source", help="Only claims of this source id.")
@click.option("--issue", help="Only claims on this issue id.")
@json_option
@click.pass_context
def claims(ctx: click.Context, source: str | None, issue: str | None, as_json: bool) -> None:
    """List claims with their issue, stance, scope, attribution and evidence."""
    kb = _kb(ctx, as_json)
    found = kb.claims_for(source=source, issue=issue)
    if as_json:
        _emit_json(
            {"issues": [_asdict(i) for i in kb.issues], "claims": [_asdict(c) for c in found]}
        )
        return
    for c in found:
        scope = ", ".join(f"{k}={v}" for k, v in dataclasses.asdict(c.scope).items() if v)
        tags = " · ".join(
            x
            for x in (
                c.kind,
                c.issue and f"{c.issue}: {c.stance}",
                scope,
                c.attribution if c.attribution != "asserted" else "",
                f"evidence {c.evidence}" if c.evidence != "none" else "",
                c.origin if c.origin != "detected" else "",
            )
            if x
        )
        click.echo(click.style(f"{c.id}  ", dim=True) + tags)
        click.echo(_wrap(f"“{_quote(c, 400)}”"))


@cli.command()
@click.option("--issue", help="Only conflicts on this issue id.")
@click.option("--detected-only", is_flag=True, help="Leave out curated conflicts.")
@json_option
@click.pass_context
def conflicts(ctx: click.Context, issue: str | None, detected_only: bool, as_json: bool) -> None:
    """List pairs of claims that disagree, with the kind of conflict and why."""
    kb = _kb(ctx, as_json)
    found = kb.conflicts(issue=issue, detected_only=detected_only)
    if as_json:
        _emit_json({"conflicts": [_asdict(x) for x in found]})
        return
    questions = {i.id: i.question for i in kb.issues}
    for x in found:
        click.echo(click.style(f"{x.id} · {safe(questions.get(x.issue, x.issue))}", bold=True))
        _print_conflict("", x)
        click.echo()
    if not found:
        click.echo("No conflicts found.")


@cli.command(name="eval")
@click.option(
    "--judgments",
    type=click.Path(path_type=Path),
    help="Judgments file (default: <corpus>/eval/judgments.toml).",
)
@json_option
@click.pass_context
def eval_(ctx: click.Context, judgments: Path | None, as_json: bool) -> None:
    """Score retrieval (nDCG@5, MRR, recall@5) and conflicts against judgments, beside a plain
    TF-IDF and a BM25 baseline (BM25 needs `pip install 'lrkb[eval]'`)."""
    from . import evaluation

    kb = _kb(ctx, as_json)
    report = evaluation.evaluate(
        kb, evaluation.load_judgments(judgments or evaluation.judgments_path(kb))
    )
    if as_json:
        _emit_json(report.as_dict())
    else:
        click.echo(evaluation.format_report(report))


def main() -> None:
    """Console entry point."""
    try:
        cli(prog_name="lrkb")
    except BrokenPipeError:
        # The reader went away (`lrkb conflicts | head`): not an error worth a traceback.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
