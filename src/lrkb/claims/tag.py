"""A claim's conditions (scope), attribution and evidence (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..models import Scope
from .rules import SCOPES, Rules, search

INHERITED = ("intensity", "timing")  # what a passage states for all its sentences


def scope(stems: Sequence[str], rules: Rules, why: list[str] | None = None) -> Scope:
    """The conditions `stems` states: every label of each dimension it names, joined by "/"."""
    found: dict[str, str | None] = {}
    # a matcher none of whose first stems is here finds nothing (most of the 24, each a few
    # stems: the set is built once, not once per matcher)
    present = set(stems)
    for dim in SCOPES:
        hits = []
        for label, cues in rules.scope.get(dim, ()):
            matched = [] if cues.firsts.isdisjoint(present) else cues.find(stems)
            if matched and label not in hits:
                hits.append(label)
                if why is not None:
                    why.append(f"{dim} {label}: '{matched[0][2]}'")
        found[dim] = "/".join(hits) or None
    return Scope(**found)


def inherit(own: Scope, context: Scope, why: list[str]) -> Scope:
    """Fill a claim's unstated intensity and timing from its passage, where the passage states
    exactly one (a goal is not inherited: "lean meat" in a recipe tip is no fat-loss goal)."""
    filled = {}
    for dim in INHERITED:
        mine, around = getattr(own, dim), getattr(context, dim)
        if mine is None and around is not None and "/" not in around:
            filled[dim] = around
            why.append(f"{dim} {around}: from its passage")
    return replace(own, **filled) if filled else own


def unstated(around: Scope, own: Scope) -> Scope:
    """`around` without the inherited conditions `own` states itself."""
    return replace(around, **{dim: None for dim in INHERITED if getattr(own, dim) is not None})


_CORRECTS = re.compile(
    r"\s*(?:contrary to|despite|against) (?:the |what )?(?:popular|common|widespread|conventional"
    r"|prevailing|many people's) (?:belief|opinion|wisdom|thinking|view)s?\b",
    re.IGNORECASE,
)


def attribution(
    quote: str, following: str | None, rebuts: bool, rules: Rules, why: list[str]
) -> str:
    """`reported` when the sentence presents a view as someone else's or as mistaken, or the next
    sentence rebuts it; `asserted` otherwise. A sentence that itself denies a cause ("the idea
    that lactic acid causes soreness has been debunked") is the author's own rebuttal."""
    if corrects := _CORRECTS.match(quote):  # "Contrary to popular belief, X": the author's X
        why.append(f"asserted: '{corrects.group(0).strip()}' corrects the belief")
        return "asserted"
    if search(rules.any_reported, quote):
        pattern = next(p for p in rules.reported if p.search(quote))
        if rebuts:
            why.append(f"asserted: it rebuts what '{pattern.pattern}' reports")
            return "asserted"
        why.append(f"reported: '{pattern.pattern}'")
        return "reported"
    if following is not None and rules.rebuttal.match(following):
        why.append("reported: the next sentence rebuts it")
        return "reported"
    return "asserted"


def evidence(quote: str, rules: Rules, why: list[str]) -> str:
    """named (a study, journal or body), vague ("studies show"), source-needed, or none."""
    if search(rules.evidence_missing, quote):
        return "source-needed"
    if m := search(rules.evidence_named, quote):
        why.append(f"evidence named: '{quote[m[0] : m[1]]}'")
        return "named"
    if m := search(rules.evidence_vague, quote):
        why.append(f"evidence vague: '{quote[m[0] : m[1]]}'")
        return "vague"
    return "none"


_NUMBER = r"[−–-]?\s?\d+(?:\.\d+)?"
_TO = r"\s*(?:to|,|;|–|—|\s-\s)\s*"
_LABEL = r"(?:SMD|WMD|MD|ES|Hedges['’]?\s?g|Cohen['’]?s?\s?d|g|d)"
# "95% CI −0.20 to 0.09", "g = −0.5 [−0.9, −0.1]", "(−2.26 < g < −0.40)": an interval, in
# whichever of the usual forms (Unicode minus or en dash, a labelled estimate with its interval in
# brackets, or the estimate bounded by "<" on both sides)
_INTERVALS = (
    re.compile(rf"\bCI\b[^0-9−–-]{{0,12}}({_NUMBER}){_TO}({_NUMBER})", re.IGNORECASE),
    re.compile(rf"\b{_LABEL}\s*[=:]\s*{_NUMBER}\s*[\[(]\s*({_NUMBER}){_TO}({_NUMBER})\s*[\])]"),
    re.compile(rf"({_NUMBER})\s*<\s*{_LABEL}\s*<\s*({_NUMBER})"),
)
_DIGIT = re.compile(r"\d")
_P_VALUE = re.compile(r"\bp\s*(=|>|≥)\s*(0?\.\d+|1(?:\.0+)?)\b", re.IGNORECASE)


def _number(text: str) -> float:
    return float(re.sub(r"\s", "", text).replace("−", "-").replace("–", "-"))


def _interval_matches(quote: str) -> list[re.Match[str]]:
    if not _DIGIT.search(quote):
        return []  # every interval has numbers: three slow patterns spared on most sentences
    found = [m for pattern in _INTERVALS for m in pattern.finditer(quote)]
    return sorted(found, key=lambda m: m.start())


def intervals(quote: str) -> list[tuple[float, float]]:
    """The confidence intervals `quote` reports, in order."""
    return [(_number(m.group(1)), _number(m.group(2))) for m in _interval_matches(quote)]


def signed_interval(quote: str) -> tuple[float, float] | None:
    """The first reported interval that does not span zero (a measured increase or decrease)."""
    return next(((lo, hi) for lo, hi in intervals(quote) if not lo < 0 < hi and (lo or hi)), None)


def null_statistic(quote: str) -> str | None:
    """The reported statistic that says "no effect": a confidence interval spanning zero or
    p > 0.05; None when there is none."""
    if not _DIGIT.search(quote):
        return None  # both have numbers: the p-value pattern spared on most sentences
    for m in _interval_matches(quote):
        low, high = _number(m.group(1)), _number(m.group(2))
        if low < 0 < high:
            return f"interval {m.group(1)} to {m.group(2)} spans zero"
    for m in _P_VALUE.finditer(quote):
        if float(m.group(2)) > 0.05 or (m.group(1) != "=" and float(m.group(2)) >= 0.05):
            return f"p {m.group(1)} {m.group(2)}"
    return None
