"""The curator's corrections (`curation.toml`) and the whole-corpus analysis they feed (pure apart
from reading the file): renamed issues, pinned or added claims, added and vetoed conflicts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..corpus import CURATION_FILE, Document, load_toml
from ..errors import CurationError
from ..models import Claim, Conflict, Issue, Passage, Scope
from .extract import claim_id
from .group import issues_of
from .pair import conflict_id, detect
from .rules import SCOPES, Rules

DIRECTIONS = ("improves", "worsens", "causes", "does not cause", "no effect")


@dataclass(frozen=True)
class Analysis:
    """What the whole corpus adds to its articles' claims: issues, curated claims, conflicts."""

    issues: tuple[Issue, ...]
    curated: tuple[Claim, ...]
    conflicts: tuple[Conflict, ...]


def _find_quote(
    entry: Mapping[str, Any], docs: Mapping[str, Document], where: str
) -> tuple[Document, int, int, str]:
    source, quote = entry.get("source"), entry.get("quote")
    if not isinstance(source, str) or not isinstance(quote, str) or not quote.strip():
        raise CurationError(f"{where}: every quoted claim needs 'source' and 'quote' strings")
    doc = docs.get(source)
    if doc is None:
        raise CurationError(f"{where}: unknown source {source!r} for quote {quote[:60]!r}")
    start = doc.text.find(quote)
    if start < 0:
        raise CurationError(f"{where}: quote not found in {doc.path.name}: {quote[:80]!r}")
    return doc, start, start + len(quote), quote


def _reason(entry: Mapping[str, Any], where: str, what: str) -> str:
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise CurationError(f"{where}: every [[{what}]] entry needs a 'reason'")
    return reason


def resolve(
    documents: Sequence[Document],
    tagged: Sequence[Claim],
    claims_of: Callable[[str], Sequence[Claim]],
    passages_of: Callable[[str], Sequence[Passage]],
    section_of: Callable[[str], str | None],
    rules: Rules,
    corpus: Path,
    pair: Callable[[Sequence[Claim], Sequence[Issue]], list[Conflict]] | None = None,
) -> Analysis:
    """Apply `corpus/curation.toml`, find the issues the claims form, and detect conflicts.

    Parameters:
        documents: every article, for checking curated quotes against their text.
        tagged: the claims that carry an issue, from every article.
        claims_of, passages_of: all claims / passages of one source (curation needs them).
        section_of: the heading path of a passage id.
        pair: `detect` over (claims, issues), for a caller that keeps what it pairs.
    """
    path = corpus / CURATION_FILE
    data = load_toml(path, CurationError)
    where = str(path)
    docs = {d.id: d for d in documents}
    every = {r.issue.id: r.issue for r in rules.issues}

    for entry in data.get("rename", []):
        reason = _reason(entry, where, "rename")
        if entry.get("issue") not in every or not isinstance(entry.get("question"), str):
            raise CurationError(f"{where}: [[rename]] needs a known 'issue' and a 'question'")
        every[entry["issue"]] = replace(
            every[entry["issue"]], question=entry["question"], origin=f"curated: {reason}"
        )
    curated: dict[str, Claim] = {}

    def locate(entry: Mapping[str, Any], what: str) -> Claim:
        doc, start, end, quote = _find_quote(entry, docs, where)
        own = [curated.get(c.id, c) for c in claims_of(doc.id)]
        own += [c for c in curated.values() if c.source == doc.id and c not in own]
        for inside in (True, False):
            for c in own:
                if (
                    (c.start <= start and end <= c.end)
                    if inside
                    else (start <= c.start and c.end <= end)
                ):
                    return c
        passage = next((p for p in passages_of(doc.id) if p.start <= start < p.end), None)
        if passage is None:
            raise CurationError(
                f"{where}: quote is outside every passage of {doc.path.name}: {quote[:80]!r}"
            )
        return Claim(
            claim_id(doc.id, quote),
            doc.id,
            passage.id,
            quote,
            start,
            end,
            "effect",
            None,
            None,
            Scope(),
            "asserted",
            "none",
            (f"curated [[{what}]]",),
            "curated",
        )

    for entry in data.get("claim", []):
        reason = _reason(entry, where, "claim")
        claim = locate(entry, "claim")
        issue_id = entry.get("issue", claim.issue)
        if issue_id is not None and issue_id not in every:
            raise CurationError(
                f"{where}: unknown issue {issue_id!r} for quote {entry['quote'][:60]!r}"
            )
        stance = entry.get("stance", claim.stance)
        if issue_id and stance is not None:
            issue = every[issue_id]
            allowed = {issue.pro, issue.con, "no effect", "depends"}
            if stance not in allowed:
                raise CurationError(
                    f"{where}: stance {stance!r} for issue {issue_id!r} must be one of {sorted(allowed)}"
                )
        direction = entry.get("direction", claim.direction)
        if direction is not None and direction not in DIRECTIONS:
            raise CurationError(f"{where}: direction must be one of {list(DIRECTIONS)}")
        attribution = entry.get("attribution", claim.attribution)
        if attribution not in ("asserted", "reported"):
            raise CurationError(f"{where}: attribution must be 'asserted' or 'reported'")
        for key in ("agent", "outcome", *SCOPES):
            if key in entry and not isinstance(entry[key], str):
                raise CurationError(f"{where}: [[claim]] {key!r} must be a string")
        scope = Scope(**{dim: entry.get(dim, getattr(claim.scope, dim)) for dim in SCOPES})
        curated[claim.id] = replace(
            claim,
            issue=issue_id,
            stance=stance,
            scope=scope,
            attribution=attribution,
            origin="curated",
            why=(*claim.why, f"curated: {reason}"),
            agent=entry.get("agent", claim.agent),
            outcome=entry.get("outcome", claim.outcome),
            direction=direction,
        )

    candidates = [curated.get(c.id, c) for c in tagged]
    candidates += [c for c in curated.values() if c.id not in {t.id for t in tagged}]
    issues = [every[i.id] for i in issues_of(candidates, rules)]
    conflicts = (pair or (lambda c, i: detect(c, i, rules, section_of)))(candidates, issues)
    for entry in data.get("veto", []):
        _reason(entry, where, "veto")
        a, b = (locate(entry.get(side, {}), "veto") for side in ("a", "b"))
        conflicts = [x for x in conflicts if {x.a.id, x.b.id} != {a.id, b.id}]
    for entry in data.get("conflict", []):
        reason = _reason(entry, where, "conflict")
        a, b = (locate(entry.get(side, {}), "conflict") for side in ("a", "b"))
        for c in (a, b):
            if c.origin == "curated":
                curated.setdefault(c.id, c)
        issue_id = entry.get("issue")
        if issue_id not in every:
            raise CurationError(f"{where}: [[conflict]] needs a known 'issue', got {issue_id!r}")
        if issue_id not in {i.id for i in issues}:
            issues.append(every[issue_id])
        kind = entry.get("kind", "direct")
        if kind not in ("direct", "scope"):
            raise CurationError(f"{where}: conflict kind must be 'direct' or 'scope', got {kind!r}")
        why = entry.get("why") or reason
        conflicts = [x for x in conflicts if {x.a.id, x.b.id} != {a.id, b.id}]
        conflicts.append(
            Conflict(conflict_id(issue_id, a, b), issue_id, kind, "curated", why, a, b)
        )
    return Analysis(tuple(issues), tuple(curated.values()), tuple(conflicts))
