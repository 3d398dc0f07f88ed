"""Train the learned heads (`learned.py`) from the judged claims of the evaluation sets, and
score them leave-one-set-out.

    python -m lrkb.claims.train            # writes src/lrkb/claims/learned.json
    python -m lrkb.claims.train --folds    # each set scored by a model trained on the others

Deterministic: the same judged claims give the same file (lbfgs, fixed iterations, no sampling).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..corpus import bundled_corpus, load_toml
from ..evaluation import _frames_for, _judged_sentence, _pick, claim_dev_scores
from . import learned
from .extract import read_text, split
from .rules import Rules, load_rules

SETS = ("dev", "holdout", "holdout2", "holdout3", "holdout4")
THRESHOLDS = {"outcome": 0.6, "direction": 0.8}  # fixed before any fold was scored
MIN_COUNT = 2  # a feature seen once is one sentence's, not the language's
C = 1.0

Sample = tuple[str, list[str], str]  # head, features, label


def set_path(name: str) -> Path:
    return bundled_corpus() / "eval" / f"claims_{name}.toml"


def samples(path: Path, rules: Rules) -> list[Sample]:
    """The training samples of one judged set, read by the rules alone.

    `direction`: the frame the scorer judges, when its outcome is the judged one, labelled with
    the judged direction. `outcome`: the judged outcome ("none" too) of every judged claim whose
    sentence gives a frame with an agent and a direction, from its words, agent and direction
    only (the rules' outcome is left out: the head acts where the rules found none).
    """
    data = load_toml(path)
    titles = {p.get("id"): str(p.get("title", "")) for p in data.get("page", [])}
    saved = learned.model()
    learned.use(None)
    try:
        out: list[Sample] = []
        for entry in data.get("claim", []):
            gold_outcome = entry.get("outcome") or "none"
            frames = read_text(entry["text"], rules, entry["page"], titles.get(entry["page"], ""))
            found = _pick(_frames_for(frames, _judged_sentence(entry)), None, gold_outcome)
            if not found or found[0].agent is None or found[0].direction is None:
                continue
            c = found[0]
            s = split(c.text)
            why = [w for w in c.why if not w.startswith("outcome")]
            out.append(
                (
                    "outcome",
                    learned.features(s.tokens, s.stems, c.agent, None, c.direction, c.kind, why),
                    gold_outcome,
                )
            )
            if c.outcome is not None and c.outcome == gold_outcome:
                feats = learned.features(
                    s.tokens, s.stems, c.agent, c.outcome, c.direction, c.kind, c.why
                )
                out.append(("direction", feats, str(entry["direction"])))
        return out
    finally:
        learned.use(saved)


def fit(train: Sequence[Sample]) -> dict[str, Any]:
    """The model file's content: one logistic regression per head over shared binary features."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for _, feats, _ in train for f in set(feats))
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocabulary)}
    heads: dict[str, Any] = {}
    for head in learned.HEADS:
        rows = [(feats, label) for h, feats, label in train if h == head]
        classes = sorted({label for _, label in rows})
        if len(classes) < 2:
            continue
        cols = [sorted({index[f] for f in feats if f in index}) for feats, _ in rows]
        x = csr_matrix(
            (
                np.ones(sum(map(len, cols))),
                [c for row in cols for c in row],
                np.cumsum([0, *map(len, cols)]),
            ),
            shape=(len(rows), len(vocabulary)),
        )
        y = [label for _, label in rows]
        lr = LogisticRegression(C=C, solver="lbfgs", max_iter=5000, tol=1e-8)
        lr.fit(x, y)
        coef, intercept = lr.coef_.T, lr.intercept_
        if len(classes) == 2:  # one logit: p(second) = softmax([0, z])
            coef = np.hstack([np.zeros_like(coef), coef])
            intercept = np.array([0.0, intercept[0]])
        heads[head] = {
            "classes": [str(c) for c in lr.classes_],
            "threshold": THRESHOLDS[head],
            "intercept": [round(float(v), 4) for v in intercept],
            "coef": [round(float(v), 4) for v in coef.ravel()],
        }
    return {"features": vocabulary, "heads": heads}


def train(names: Sequence[str], rules: Rules) -> dict[str, Any]:
    return fit([s for name in names for s in samples(set_path(name), rules)])


def _scores(kb: Any, path: Path) -> dict[str, float]:
    r = claim_dev_scores(kb, path)
    t, c = r["tagging"], r["conflicts"]
    return {
        "outcome": t["outcome"],
        "direction": t["direction"],
        "attribution": t["attribution"],
        "all": t["all"],
        "precision": c["precision"],
        "recall": c["recall"],
        "flagged": c["flagged"],
    }


class _Bundled:
    """What `claim_dev_scores` reads of a knowledge base: the bundled corpus's path and its
    claims, read by `extract` with the model in use (no index is built)."""

    def __init__(self, corpus: Path, rules: Rules) -> None:
        from ..chunking import chunk
        from ..corpus import load_documents
        from .extract import extract

        self.corpus = corpus
        self.claims = [
            c
            for doc in load_documents(corpus)
            for c in extract(doc, chunk(doc.text, doc.id, doc.body_start, doc.body_line), rules)
        ]


def folds(names: Sequence[str] = SETS) -> list[dict[str, Any]]:
    """Leave one set out: rules alone vs rules + a model trained on the other sets."""
    import lrkb

    kb = lrkb.open(bundled_corpus())
    rules = load_rules(kb.corpus, bundled_corpus())
    by_set = {}
    saved = learned.model()
    learned.use(None)
    for name in names:
        by_set[name] = samples(set_path(name), rules)
    rows = []
    try:
        before_kb = _Bundled(kb.corpus, rules)
        for name in names:
            model = learned.Model.from_json(
                fit([s for other in names if other != name for s in by_set[other]])
            )
            learned.use(None)
            before = _scores(before_kb, set_path(name))
            learned.use(model)
            after = _scores(_Bundled(kb.corpus, rules), set_path(name))
            rows.append({"set": name, "before": before, "after": after})
    finally:
        learned.use(saved)
    return rows


def main(argv: Sequence[str]) -> None:
    if "--folds" in argv:
        for row in folds():
            b, a = row["before"], row["after"]
            keys = ("outcome", "direction", "attribution", "all", "precision", "recall")
            print(
                f"{row['set']:9} "
                + "  ".join(f"{k[:3]} {b[k]:.3f}->{a[k]:.3f}" for k in keys)
                + f"  flagged {b['flagged']}->{a['flagged']}"
            )
        return
    import lrkb

    kb = lrkb.open(bundled_corpus())
    data = train(SETS, load_rules(kb.corpus, bundled_corpus()))
    learned.MODEL_FILE.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {learned.MODEL_FILE} ({len(data['features'])} features)")


if __name__ == "__main__":
    main(sys.argv[1:])
