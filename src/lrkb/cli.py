"""The `lrkb` command: a thin layer that parses arguments, makes one library call, prints."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import click

from . import jsonout
from .errors import InputError, LrkbError
from .kb import MAX_K, Added, KnowledgeBase
from .textout import answer_lines, conflict_lines, hit_lines, page_note, quote, safe, wrap


def _echo(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)


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

tag_option = click.option(
    "--tag", help="Only sources whose front matter `tags` hold this tag (see `lrkb sources`)."
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


@cli.command()
@click.argument("question")
@top_option
@tag_option
@click.option("-v", "--full", is_flag=True, help="Print every passage, lean and conflict in full.")
@json_option
@click.pass_context
def ask(
    ctx: click.Context, question: str, k: int, tag: str | None, full: bool, as_json: bool
) -> None:
    """Answer QUESTION: a bottom line quoted from the sources, where they stand, the passages,
    the conflicts that bear on it, and the sources. Fits one screen unless --full.

    Exits 1 when nothing in the corpus is relevant.
    """
    answer = _kb(ctx, as_json).ask(question, k=k, tag=tag)
    if as_json:
        _emit_json(jsonout.answer_json(answer))
    else:
        _echo(answer_lines(answer, full))
    if answer.abstained:
        ctx.exit(1)


@cli.command()
@click.argument("query")
@top_option
@tag_option
@json_option
@click.pass_context
def search(ctx: click.Context, query: str, k: int, tag: str | None, as_json: bool) -> None:
    """Rank passages by similarity to QUERY (exits 1 when none match)."""
    hits = _kb(ctx, as_json).search(query, k=k, tag=tag)
    if as_json:
        _emit_json(jsonout.search_json(query, hits))
    else:
        for n, hit in enumerate(hits, 1):
            _echo([*hit_lines(n, hit), ""])
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
        _emit_json(jsonout.show_json(passage, source, around))
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
                f"    {source.path}, {lines}, characters {p.start}-{p.end}{page_note(p.page)}",
                dim=True,
            )
        )
        click.echo(wrap(p.text))
        click.echo()


@cli.command()
@json_option
@click.pass_context
def sources(ctx: click.Context, as_json: bool) -> None:
    """List the articles of the corpus."""
    found = _kb(ctx, as_json).sources
    if as_json:
        _emit_json(jsonout.sources_json(found))
        return
    for s in found:
        click.echo(
            f"{s.id}  ({s.passages} passages)\n    {safe(s.title)}"
            + (f"\n    {safe(s.url)}" if s.url else "")
        )
        for key, value in s.meta.items():
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            if isinstance(shown, dict):
                shown = json.dumps(shown, ensure_ascii=False)
            click.echo(click.style(f"    {safe(key)}: {safe(str(shown))[:200]}", dim=True))


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
        _emit_json(jsonout.passages_json(found))
        return
    for p in found:
        words = " ".join(p.text.split())
        click.echo(
            f"{p.id}  {safe(p.section) or '(introduction)'}\n    {safe(words[:90])}{'…' if len(words) > 90 else ''}"
        )


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--title", help="Article title (default: from the file); one file only.")
@click.option("--url", help="Where the article was found; one file only.")
@click.option("--id", "source_id", help="Source id (default: made from the title); one file only.")
@click.option("--replace", is_flag=True, help="Replace articles whose id exists already.")
@json_option
@click.pass_context
def add(
    ctx: click.Context,
    files: tuple[Path, ...],
    title: str | None,
    url: str | None,
    source_id: str | None,
    replace: bool,
    as_json: bool,
) -> None:
    """Add FILES (.md, .txt, .html, .pdf) or the article files under a directory, in one build.

    Plain text, web pages and PDFs are imported: headings and lists are found, boilerplate (SEO
    keyword lines, comment forms, affiliate notes, running headers) is dropped and reported. All
    or nothing: if one file fails, nothing is added and the error names it. The index follows (new articles go
    into a small segment beside it; see `lrkb optimize`).
    """
    result = _kb(ctx, as_json).add_all(files, title, url, source_id, replace=replace)

    def entry(a: Added) -> dict[str, Any]:
        return {
            "source": _asdict(a.source),
            "path": str(a.path),
            "dropped": [_asdict(d) for d in a.dropped],
            "replaced": a.replaced,
        }

    if as_json:
        # One article: its fields at the top too, as before several files could be added.
        first = entry(result.added[0]) if len(result.added) == 1 else {}
        _emit_json(
            {
                **first,
                "added": [entry(a) for a in result.added],
                "skipped": [str(p) for p in result.skipped],
            }
        )
        return
    for a in result.added:
        verb = "replaced" if a.replaced else "added"
        click.echo(
            f"{verb} {a.source.id}: {safe(a.source.title)} ({a.source.passages} passages) -> {a.path}"
        )
        for d in a.dropped:
            where = f"page {d.page} line {d.line}" if d.page is not None else f"line {d.line}"
            click.echo(f"  dropped {where} ({d.reason}): {safe(d.text[:70])}")
    if result.skipped:
        click.echo(
            f"skipped {len(result.skipped)} files of other types: {safe(str(result.skipped[0]))}, …"
        )


def _terminal() -> bool:
    """Whether a person can answer a question (stdin is a terminal)."""
    return sys.stdin.isatty()


@cli.command()
@click.argument("source_ids", nargs=-1, required=True)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@json_option
@click.pass_context
def remove(ctx: click.Context, source_ids: tuple[str, ...], yes: bool, as_json: bool) -> None:
    """Remove the articles SOURCE_IDS from the corpus; the index and claims follow.

    Asks first on a terminal; elsewhere needs --yes. Refused while curation.toml names one of
    them.
    """
    kb = _kb(ctx, as_json)
    gone = [kb.source(s) for s in source_ids]
    if not yes:
        if not _terminal():
            raise InputError("not a terminal: confirm removing with --yes")
        names = ", ".join(f"{s.id} ({safe(s.title)})" for s in gone)
        if not click.confirm(f"Remove {names}?", err=True):
            raise click.Abort()
    removed = kb.remove(source_ids)
    if as_json:
        _emit_json({"removed": [_asdict(s) for s in removed]})
        return
    for s in removed:
        click.echo(f"removed {s.id}: {safe(s.title)} ({s.path})")


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
@tag_option
@json_option
@click.pass_context
def claims(
    ctx: click.Context, source: str | None, issue: str | None, tag: str | None, as_json: bool
) -> None:
    """List claims with their issue, stance, scope, attribution and evidence."""
    kb = _kb(ctx, as_json)
    found = kb.claims_for(source=source, issue=issue, tag=tag)
    if as_json:
        _emit_json(jsonout.claims_json(kb.issues, found))
        return
    for c in found:
        scope = ", ".join(f"{k}={v}" for k, v in dataclasses.asdict(c.scope).items() if v)
        tags = " · ".join(
            x
            for x in (
                c.kind,
                c.direction
                and f"{c.agent or '?'} {c.direction} {c.outcome or '(no outcome named)'}",
                c.issue and f"{c.issue}: {c.stance}",
                scope,
                c.attribution if c.attribution != "asserted" else "",
                f"evidence {c.evidence}" if c.evidence != "none" else "",
                c.origin if c.origin != "detected" else "",
                f"p. {c.page}" if c.page is not None else "",
            )
            if x
        )
        click.echo(click.style(f"{c.id}  ", dim=True) + tags)
        click.echo(wrap(f"“{quote(c, 400)}”"))


@cli.command()
@click.option("--issue", help="Only conflicts on this issue id.")
@click.option("--detected-only", is_flag=True, help="Leave out curated conflicts.")
@tag_option
@json_option
@click.pass_context
def conflicts(
    ctx: click.Context, issue: str | None, detected_only: bool, tag: str | None, as_json: bool
) -> None:
    """List pairs of claims that disagree, with the kind of conflict and why (with --tag: both
    claims from sources with that tag)."""
    kb = _kb(ctx, as_json)
    found = kb.conflicts(issue=issue, detected_only=detected_only, tag=tag)
    if as_json:
        _emit_json(jsonout.conflicts_json(found))
        return
    questions = {i.id: i.question for i in kb.issues}
    for x in found:
        click.echo(click.style(f"{x.id} · {safe(questions.get(x.issue, x.issue))}", bold=True))
        _echo(conflict_lines("", x))
        click.echo()
    if not found:
        click.echo("No conflicts found.")


@cli.command(name="eval")
@click.option(
    "--judgments",
    type=click.Path(path_type=Path),
    help="Judgments file (default: <corpus>/eval/judgments.toml).",
)
@click.option(
    "--real",
    type=click.Path(path_type=Path),
    help="Real-question judgments, reported as their own block "
    "(default: <corpus>/eval/real_questions.toml when it exists).",
)
@json_option
@click.pass_context
def eval_(ctx: click.Context, judgments: Path | None, real: Path | None, as_json: bool) -> None:
    """Score retrieval (nDCG@5, MRR, recall@5) and conflicts against judgments, beside a plain
    TF-IDF and a BM25 baseline (BM25 needs `pip install 'lrkb[eval]'`)."""
    from . import evaluation

    kb = _kb(ctx, as_json)
    report = evaluation.evaluate(
        kb,
        evaluation.load_judgments(judgments or evaluation.judgments_path(kb)),
        evaluation.load_judgments(real) if real else evaluation.load_real(kb),
    )
    if as_json:
        _emit_json(report.as_dict())
    else:
        click.echo(evaluation.format_report(report))


def _extra(command: str, extra: str, *modules: str) -> None:
    """A one-line error saying what to install when an optional extra is missing."""
    import importlib.util

    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise InputError(
            f"`lrkb {command}` needs {', '.join(missing)}: pip install 'lrkb[{extra}]'"
        )


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free one).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, open_browser: bool) -> None:
    """Serve the web page and its JSON API (read-only) at http://HOST:PORT/.

    Needs `pip install 'lrkb[web]'`. Listens on 127.0.0.1 unless --host says otherwise.
    """
    _extra("serve", "web", "starlette", "jinja2", "uvicorn")
    import socket

    import uvicorn

    from .web import create_app

    loopback = host in ("127.0.0.1", "localhost", "::1")
    if not loopback:
        _notify(f"warning: listening on {host}: anyone who can reach it can read this corpus")
    app = create_app(
        ctx.obj["corpus"], allowed_hosts=("127.0.0.1", "localhost", "[::1]") if loopback else None
    )
    # Bind here, so a busy port is a one-line error, and --port 0 can say which port it got.
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound = sock.getsockname()[1]
    url = f"http://{'[' + host + ']' if family == socket.AF_INET6 else host}:{bound}/"
    _notify(f"serving {app.state.corpus} at {url} (Ctrl-C stops)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, (url,)).start()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    server.run(sockets=[sock])


@cli.command()
@click.pass_context
def mcp(ctx: click.Context) -> None:
    """Serve lrkb to an assistant over stdio, as a Model Context Protocol server.

    Tools: search, ask, conflicts, show. Needs `pip install 'lrkb[mcp]'`.
    """
    _extra("mcp", "mcp", "mcp")
    from .mcp import create_server

    create_server(ctx.obj["corpus"]).run("stdio")


def main() -> None:
    """Console entry point."""
    try:
        cli(prog_name="lrkb")
    except BrokenPipeError:
        # The reader went away (`lrkb conflicts | head`): not an error worth a traceback.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
