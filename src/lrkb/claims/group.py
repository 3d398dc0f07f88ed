"""Issues found from claims: every claim about one agent family acting on one outcome (pure).

An issue's id is made from those words (`running-muscle-size`, `running` when the claims name no
outcome), so it is stable across rebuilds; `issues.toml` may give it a curator's question and
stance labels. An agent that is the absence of a family (rest, for running) joins that family's
issues with its direction turned round: "rest helps recovery" counts as running hurting it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Claim, Issue
from .rules import Agent, Rules

_TURNED = {"improves": "worsens", "worsens": "improves", "causes": "improves"}


def family_direction(direction: str | None, agent: Agent | None) -> str | None:
    """The direction said of the issue's family: turned round for an agent that opposes it."""
    if direction is not None and agent is not None and agent.opposes:
        return _TURNED.get(direction, direction)
    return direction


def stance(direction: str | None, issue: Issue | None, agent: Agent | None) -> str | None:
    """The direction in the issue's own labels (pro / con, or "no effect")."""
    d = family_direction(direction, agent)
    if d is None or issue is None:
        return d
    if issue.pro == "causes" or issue.con == "does not cause":
        return {"causes": issue.pro, "worsens": issue.pro}.get(
            d, issue.con if d != "improves" else d
        )
    return {"improves": issue.pro, "worsens": issue.con, "causes": issue.con}.get(d, "no effect")


def issues_of(claims: Iterable[Claim], rules: Rules) -> list[Issue]:
    """The issues the claims form, in the lexicon's order (curator-named ones included)."""
    present = {c.issue for c in claims if c.issue}
    return [r.issue for r in rules.issues if r.issue.id in present]


def agent_named(rules: Rules, name: str | None) -> Agent | None:
    return rules.agent_named.get(name) if name is not None else None


def normalized(claim: Claim, rules: Rules) -> str | None:
    """The claim's direction said of its issue's family."""
    return family_direction(claim.direction, agent_named(rules, claim.agent))
