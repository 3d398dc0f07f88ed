"""Text for a terminal: answers, hits and conflicts as lines, wrapped to the width, safe to print.

Every function here returns strings and prints nothing; `cli.py` echoes them. Article text goes
through `safe`, so an article cannot drive the terminal.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import click

from .analysis import strip_control
from .models import Answer, Claim, Conflict, Hit, Quote, Snippet


def safe(text: str) -> str:
    """Article text with terminal control sequences removed: an article cannot drive the terminal."""
    return strip_control(text)


def line_width() -> int:
    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns) - 2)


def wrap(text: str, indent: str = "    ") -> str:
    return "\n".join(
        textwrap.fill(safe(para), line_width(), initial_indent=indent, subsequent_indent=indent)
        for para in text.split("\n")
        if para.strip()
    )


def page_note(page: int | None) -> str:
    return f", p. {page}" if page is not None else ""


def hit_lines(n: int, hit: Hit, mark: str = "") -> list[str]:
    """A numbered hit: its title, section, id and score, then its text wrapped."""
    section = f" › {hit.section}" if hit.section else ""
    lines = [
        click.style(f"[{n}] {safe(hit.title)}{safe(section)}", bold=True)
        + click.style(f"  ({hit.id}, score {hit.score:.2f}{page_note(hit.page)})", dim=True),
        wrap(hit.text),
    ]
    if mark:
        lines.append(click.style(f"    {mark}", fg="yellow"))
    return lines


# Conflicts listed by default; --full lists every one that bears on the question.
CONFLICTS_SHOWN = 2
# The default answer fits this many lines (of at most 100 columns): one screen.
SCREEN_LINES = 40


def quote(claim: Claim, limit: int = 220) -> str:
    text = " ".join(claim.text.split())
    return safe(text if len(text) <= limit else text[: limit - 1] + "…")


def _words(text: str, marks: Sequence[tuple[int, int]] = ()) -> list[tuple[str, bool]]:
    """The words of `text`, each flagged when it overlaps a marked span."""
    return [
        (m.group(0), any(a < m.end() and m.start() < b for a, b in marks))
        for m in re.finditer(r"\S+", safe(text))
    ]


def _fill(
    words: Sequence[tuple[str, bool]], indent: str, max_lines: int | None = None
) -> list[str]:
    """Words wrapped to the width, marked ones bold and underlined (plain when piped), at most
    `max_lines` lines, the last one ending in "…" when words were left out."""
    width = line_width()
    lines: list[list[tuple[str, bool]]] = [[]]
    used = len(indent)
    for word, marked in words:
        # An ellipsis stays on its line (the width leaves two columns of the terminal free).
        if lines[-1] and used + 1 + len(word) > width + (2 if word == "…" else 0):
            lines.append([])
            used = len(indent)
        used += len(word) + (1 if lines[-1] else 0)
        lines[-1].append((word, marked))
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and sum(len(w) + 1 for w, _ in last) + len(indent) + 1 > width:
            last.pop()
        last.append(("…", False))
    return [
        indent
        + " ".join(click.style(w, bold=True, underline=True) if marked else w for w, marked in line)
        for line in lines
        if line
    ]


def _one_line(text: str, indent: str = "", tail: str = "") -> str:
    """`text` on one line of the width, cut with "…" when longer; `tail` is never cut."""
    text, tail = safe(" ".join(text.split())), safe(tail)
    room = line_width() - len(indent) - len(tail)
    return indent + (text if len(text) <= room else text[: max(room - 1, 0)].rstrip() + "…") + tail


def _snippet_words(hit: Hit, snippet: Snippet | None) -> list[tuple[str, bool]]:
    if snippet is None:
        return _words(hit.text)
    out: list[tuple[str, bool]] = []
    last = 0
    for a, b in snippet.sentences:
        if a > last and (out or a > 0):
            out.append(("…", False))
        marks = [(x - a, y - a) for x, y in snippet.matched if x < b and a < y]
        out += _words(hit.text[a:b], marks)
        last = b
    if last < len(hit.text.rstrip()):
        out.append(("…", False))
    return out


def answer_lines(answer: Answer, full: bool = False) -> list[str]:
    """An answer for a terminal: one screen by default (see `_screen`), everything with `full`."""
    if answer.abstained:
        return [
            f"Nothing in this corpus answers {safe(answer.question)!r}.",
            "Try other words, or `lrkb search` to see what the corpus holds.",
        ]
    return _full(answer) if full else _screen(answer)


class _Refs:
    """Reference numbers: the passages shown first, then each other passage as it is cited."""

    def __init__(self, answer: Answer) -> None:
        self.number = {h.id: n for n, h in enumerate(answer.hits, 1)}
        self.refs: list[tuple[str, str]] = [(h.id, h.source) for h in answer.hits]
        self.titles = {s.id: s for s in answer.sources}

    def __call__(self, claim: Claim | Quote) -> str:
        if claim.passage not in self.number:
            self.refs.append((claim.passage, claim.source))
            self.number[claim.passage] = len(self.refs)
        return f"[{self.number[claim.passage]}]"

    def title(self, source_id: str) -> str:
        s = self.titles.get(source_id)
        return safe(s.title) if s else source_id

    def by_source(self) -> dict[str, list[tuple[int, str]]]:
        """Source id -> its (number, passage id) pairs, sources in order of first citation."""
        out: dict[str, list[tuple[int, str]]] = {}
        for n, (pid, source_id) in enumerate(self.refs, 1):
            out.setdefault(source_id, []).append((n, pid))
        return out


def _heading(text: str) -> str:
    return click.style(text, bold=True)


def _verdict_head(answer: Answer) -> str:
    if not answer.verdict:
        return _heading("Verdict: ") + "no contested issue matches this question."
    return _heading("Verdict: ") + safe(answer.verdict.summary)


# Ways to fit the default answer on one screen, tried in turn: lines of text per passage, lines
# per conflict, conflicts shown.
_FITS = (
    (2, 2, CONFLICTS_SHOWN),
    (1, 2, CONFLICTS_SHOWN),
    (1, 1, CONFLICTS_SHOWN),
    (1, 1, 1),
    (0, 1, 1),
)


def _screen(answer: Answer) -> list[str]:
    """The default answer, within SCREEN_LINES lines of the width (with the default -k): the
    bottom line, the verdict with the sources on each side, each passage's sentences that
    matter, the top conflicts, and each source once with the numbers of its passages."""
    for fit in _FITS:
        lines = _render(answer, *fit)
        if len(lines) <= SCREEN_LINES:
            break
    return lines


def _render(answer: Answer, per_passage: int, per_conflict: int, shown: int) -> list[str]:
    cite = _Refs(answer)
    lines: list[str] = []
    if answer.bottom_line:
        lines.append(_heading("Bottom line"))
        for q in answer.bottom_line:
            lines += _fill(_words(f"“{' '.join(q.text.split())}” {cite(q)}"), "  ")
        lines.append("")
    lines.append(_verdict_head(answer))
    if answer.verdict:
        lines.append(click.style(_one_line(f"on: {answer.verdict.issue.question}", "  "), dim=True))
        stances: dict[str, list[str]] = {}
        for lean in answer.verdict.leans:
            stances.setdefault(lean.stance, []).append(cite(lean.claim))
        sides = " · ".join(f"{safe(s)} {' '.join(refs)}" for s, refs in stances.items())
        lines += _fill(_words(sides), "  ")
    lines.append("")
    conflicts = answer.conflicts[:shown]
    marks: dict[str, list[int]] = {}
    for n, x in enumerate(conflicts, 1):
        for c in (x.a, x.b):
            marks.setdefault(c.passage, []).append(n)
    snippets = {s.passage: s for s in answer.snippets}
    lines.append(_heading("Passages"))
    for n, hit in enumerate(answer.hits, 1):
        flag = sorted(set(marks.get(hit.id, [])))
        warn = f"  ⚠ C{', C'.join(map(str, flag))}" if flag else ""
        section = hit.section.split(" > ")[-1] if hit.section else cite.title(hit.source)
        tail = f"  ({hit.id}, {hit.score:.2f}{page_note(hit.page)})"
        head = _one_line(f"[{n}] {section}", "")
        room = line_width() - len(tail) - len(warn)
        if len(head) > room:
            head = head[: room - 1].rstrip() + "…"
        lines.append(_heading(head) + click.style(tail, dim=True) + click.style(warn, fg="yellow"))
        if per_passage:
            lines += _fill(_snippet_words(hit, snippets.get(hit.id)), "    ", per_passage)
    lines.append("")
    if conflicts:
        more = len(answer.conflicts) - len(conflicts)
        lines.append(
            _heading("Conflicts that bear on this question")
            + (f" ({more} more with --full)" if more else "")
        )
        for n, x in enumerate(conflicts, 1):
            sides = f"{safe(x.a.stance or '')} {cite(x.a)} vs {safe(x.b.stance or '')} {cite(x.b)}"
            lines += _fill(_words(f"C{n} {x.kind}: {sides} — {x.why}"), "  ", per_conflict)
        lines.append("")
    lines.append(_heading("Sources"))
    for source_id, cited in cite.by_source().items():
        numbers = " ".join(f"[{n}]" for n, _ in cited)
        s = cite.titles.get(source_id)
        lines.append(_source_line(f"{numbers} {cite.title(source_id)}", s.url if s else None))
    return lines


def _source_line(head: str, url: str | None) -> str:
    """A cited source on one line: its numbers and title, then the site of its address (the
    whole address is in `--full` and the JSON); the title is cut before the site is."""
    site = f" ({(urlsplit(url).hostname or url).removeprefix('www.')})" if url else ""
    return _one_line(head, "  ", tail=site)


def _full(answer: Answer) -> list[str]:
    """Everything: the bottom line, each lean with its quote, every passage and conflict in full,
    and each source once with its passages (ids) under it."""
    cite = _Refs(answer)
    out: list[str] = []
    echo = out.append
    if answer.bottom_line:
        echo(_heading("Bottom line"))
        for q in answer.bottom_line:
            echo(wrap(f"“{' '.join(q.text.split())}” — {q.title} {cite(q)}", "  "))
        echo("")
    echo(_verdict_head(answer))
    if answer.verdict:
        echo(click.style(f"  on: {safe(answer.verdict.issue.question)}", dim=True))
        width = max(len(lean.stance) for lean in answer.verdict.leans) + 2
        for lean in answer.verdict.leans:
            page = f" p. {lean.claim.page}" if lean.claim.page is not None else ""
            echo(f"  {safe(lean.stance):<{width}}{safe(lean.title)} {cite(lean.claim)}{page}")
            echo(wrap(f"“{quote(lean.claim)}”", " " * (width + 2)))
    echo("")
    marks: dict[str, list[int]] = {}
    for n, x in enumerate(answer.conflicts, 1):
        for c in (x.a, x.b):
            marks.setdefault(c.passage, []).append(n)
    for n, hit in enumerate(answer.hits, 1):
        flag = sorted(set(marks.get(hit.id, [])))
        out += hit_lines(
            n, hit, f"⚠ conflicts: see C{', C'.join(map(str, flag))} below" if flag else ""
        )
        echo("")
    if answer.conflicts:
        echo(_heading("Conflicts that bear on this question"))
        for n, x in enumerate(answer.conflicts, 1):
            out += conflict_lines(f"C{n}", x, cite)
        echo("")
    echo(_heading("Sources"))
    for source_id, cited in cite.by_source().items():
        s = cite.titles.get(source_id)
        where = f" <{safe(s.url)}>" if s and s.url else ""
        echo(f"  {cite.title(source_id)}{where}")
        for n, pid in cited:
            echo(f"    [{n}] {pid}")
    return out


def conflict_lines(
    label: str, x: Conflict, cite: Callable[[Claim], str] | None = None
) -> list[str]:
    """A conflict: its kind and why, then both sides quoted with their source and reference."""
    origin = "" if x.origin == "detected" else f" ({x.origin})"
    lines = [click.style(f"  {label} {x.kind}{origin}", fg="yellow") + f" — {safe(x.why)}"]
    for c in (x.a, x.b):
        ref = cite(c) if cite else f"({c.passage})"
        page = f" p. {c.page}" if c.page is not None else ""
        lines.append(wrap(f"{c.stance}: “{quote(c)}” — {c.source}{page} {ref}", "     "))
    return lines
