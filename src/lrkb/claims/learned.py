"""A small learned correction of the rules' frames (round ten): two linear heads over the
sentence's words and the rules' own reading.

- `outcome`: a frame the rules gave an agent and a direction but no outcome gets the outcome the
  head names, when it names one (not "none") with probability at least its threshold.
- `direction`: a frame with an outcome gets the direction the head names instead of the rules',
  when the head is at least as sure as its threshold.

The heads act only on frames the rules already found; everything else is the rules' reading. The
weights are data (`learned.json`: vocabulary, classes, coefficients; no pickle), written by
`lrkb.claims.train` from the judged claims of the evaluation sets, and read once per process.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from .extract import Frame, Sentence

MODEL_FILE = Path(__file__).with_name("learned.json")
HEADS = ("outcome", "direction")
_FRAME_WHY = ("direction", "outcome")  # why lines a frame carries before its sentence's scope


@dataclass(frozen=True)
class Head:
    classes: tuple[str, ...]
    coef: npt.NDArray[np.float64]  # (features, classes)
    intercept: npt.NDArray[np.float64]  # (classes,)
    threshold: float

    def predict(self, columns: Sequence[int]) -> tuple[str, float]:
        """The likeliest class and its probability for a sample with these feature columns."""
        z = self.intercept + self.coef[list(columns)].sum(axis=0)
        p = np.exp(z - z.max())
        p /= p.sum()
        best = int(p.argmax())
        return self.classes[best], float(p[best])


@dataclass(frozen=True)
class Model:
    vocabulary: dict[str, int]
    heads: dict[str, Head]

    def columns(self, features: Sequence[str]) -> list[int]:
        return sorted({self.vocabulary[f] for f in features if f in self.vocabulary})

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        vocabulary = {f: i for i, f in enumerate(data["features"])}
        heads = {
            name: Head(
                tuple(h["classes"]),
                np.asarray(h["coef"], dtype=np.float64).reshape(len(vocabulary), -1),
                np.asarray(h["intercept"], dtype=np.float64),
                float(h["threshold"]),
            )
            for name, h in data["heads"].items()
        }
        return cls(vocabulary, heads)


def features(
    tokens: Sequence[str],
    stems: Sequence[str],
    agent: str | None,
    outcome: str | None,
    direction: str | None,
    kind: str,
    why: Sequence[str],
) -> list[str]:
    """A frame's features: its sentence's words, word pairs and stems, and the rules' reading
    (agent, outcome, direction, kind, and the cue that decided its direction and outcome)."""
    lowered = [t.lower() for t in tokens]
    out = [f"w:{t}" for t in lowered]
    out += [f"b:{a} {b}" for a, b in pairwise(lowered)]
    out += [f"s:{s}" for s in stems if s]
    out += [f"agent:{agent}", f"outcome:{outcome}", f"direction:{direction}", f"kind:{kind}"]
    for line in why:
        head, _, rest = line.partition(":")
        if head.split(" ", 1)[0] in _FRAME_WHY:
            out += [f"why:{head}", f"cue:{head}|{rest.strip()}"]
    return out


_UNREAD = object()
_model: Any = _UNREAD


def model() -> Model | None:
    """The shipped model, read on first use; None when no model file ships."""
    global _model
    if _model is _UNREAD:
        _model = (
            Model.from_json(json.loads(MODEL_FILE.read_text())) if MODEL_FILE.exists() else None
        )
    return _model  # type: ignore[no-any-return]


def use(m: Model | None) -> None:
    """Read with `m` from now on (None: the rules alone); for training and evaluation."""
    global _model
    _model = m


def correct(s: Sentence, found: Sequence[Frame]) -> list[Frame]:
    """`found` with each frame's outcome or direction replaced where a head is sure enough."""
    m = model()
    if m is None:
        return list(found)
    out = []
    for f in found:
        if f.agent is None or f.direction is None:
            out.append(f)
            continue
        cols = m.columns(
            features(s.tokens, s.stems, f.agent.name, f.outcome, f.direction, f.kind, f.why)
        )
        if f.outcome is None and "outcome" in m.heads:
            label, p = m.heads["outcome"].predict(cols)
            if label != "none" and p >= m.heads["outcome"].threshold:
                f = replace(f, outcome=label, why=(*f.why, f"outcome {label}: learned ({p:.2f})"))
        elif f.outcome is not None and "direction" in m.heads:
            label, p = m.heads["direction"].predict(cols)
            if label != f.direction and p >= m.heads["direction"].threshold:
                f = replace(
                    f, direction=label, why=(*f.why, f"direction {label}: learned ({p:.2f})")
                )
        out.append(f)
    return out
