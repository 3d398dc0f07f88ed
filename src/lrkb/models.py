"""The data model: Source -> Passage -> Claim -> Issue -> Conflict, and the answers built on them.

Every object carries its provenance: the source id, and character offsets into the source file
(`file_text[start:end]`), so any sentence lrkb prints can be traced to where it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# progress(stage, done, total), called during long builds.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Source:
    """One article file of the corpus."""

    id: str
    title: str
    url: str | None
    path: str
    added: str | None
    passages: int
    # Front matter keys lrkb does not use (tags, author, date, …); left out of the hash, so a
    # Source stays hashable.
    meta: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Passage:
    """A paragraph-sized span of a source that never crosses a heading."""

    id: str
    source: str
    section: str
    text: str
    start: int
    end: int
    line_start: int
    line_end: int
    page: int | None = None  # the PDF page the passage starts on


@dataclass(frozen=True)
class Hit:
    """A passage retrieved for a query, with its cosine score."""

    id: str
    source: str
    title: str
    section: str
    text: str
    score: float
    start: int
    end: int
    line_start: int
    line_end: int
    page: int | None = None


@dataclass(frozen=True)
class Scope:
    """The conditions a claim is about, where the text says them."""

    intensity: str | None = None
    timing: str | None = None
    goal: str | None = None
    modality: str | None = None
    population: str | None = None


@dataclass(frozen=True)
class Issue:
    """A contested question: every claim about one agent family acting on one outcome.

    `agent` is the family and `outcome` the outcome (None: claims that name none) it is made of.
    """

    id: str
    question: str
    pro: str = "helps"
    con: str = "hurts"
    origin: str = "found"
    agent: str | None = None
    outcome: str | None = None


@dataclass(frozen=True)
class Claim:
    """A located quote that asserts an effect, a mechanism or a recommendation.

    `file_text[start:end] == text` for the file of `source`. Its frame: `agent` acts on
    `outcome` in `direction` (improves, worsens, causes, does not cause, no effect), under
    `scope`; `stance` is the direction in the issue's own labels. `why` lists the words and
    rules that decided each tag.
    """

    id: str
    source: str
    passage: str
    text: str
    start: int
    end: int
    kind: str
    issue: str | None
    stance: str | None
    scope: Scope
    attribution: str
    evidence: str
    why: tuple[str, ...]
    origin: str = "detected"
    agent: str | None = None
    outcome: str | None = None
    direction: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class Conflict:
    """Two asserted claims on one issue whose directions disagree."""

    id: str
    issue: str
    kind: str
    origin: str
    why: str
    a: Claim
    b: Claim


@dataclass(frozen=True)
class Lean:
    """How one source leans on an issue, with the claim that shows it."""

    source: str
    title: str
    stance: str
    claim: Claim


@dataclass(frozen=True)
class Verdict:
    """A consensus meter: how the sources lean on the issue a question is about."""

    issue: Issue
    summary: str
    counts: dict[str, int]
    leans: tuple[Lean, ...]


@dataclass(frozen=True)
class Quote:
    """A sentence of the bottom line, quoted exactly: `file_text[start:end] == text`.

    `side` is the polarity of the claim it makes (see `bottomline.side`), None when it makes none.
    """

    source: str
    title: str
    passage: str
    text: str
    start: int
    end: int
    side: str | None = None


@dataclass(frozen=True)
class Snippet:
    """What of a passage to show by default: the sentences that matter to the question, and the
    words of the whole passage that the question matched (its stems and synonyms), as (start,
    end) spans into the hit's `text`."""

    passage: str
    sentences: tuple[tuple[int, int], ...]
    matched: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Answer:
    """The answer to a question: cited passages, a verdict, and the conflicts that bear on it."""

    question: str
    hits: tuple[Hit, ...]
    verdict: Verdict | None = None
    conflicts: tuple[Conflict, ...] = ()
    sources: tuple[Source, ...] = field(default=())
    bottom_line: tuple[Quote, ...] = ()
    snippets: tuple[Snippet, ...] = ()

    @property
    def abstained(self) -> bool:
        """True when nothing in the corpus is relevant to the question."""
        return not self.hits


def claim_from_dict(d: dict[str, Any]) -> Claim:
    """A `Claim` from its `dataclasses.asdict` form (as stored and as printed by `--json`)."""
    return Claim(**{**d, "scope": Scope(**d["scope"]), "why": tuple(d["why"])})


def claim_dict(claim: Claim) -> dict[str, Any]:
    """`dataclasses.asdict(claim)`, built directly: asdict deep-copies and is slow in bulk."""
    return {**claim.__dict__, "scope": dict(claim.scope.__dict__), "why": list(claim.why)}
