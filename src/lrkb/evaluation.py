"""Measure retrieval and conflict detection against judgments, beside two baselines.

Judgments live in `<corpus>/eval/judgments.toml`: questions with graded relevant quotes (a passage
is relevant when its text contains the quote, so judgments survive re-chunking), questions that
must abstain, gold conflict pairs and pairs that must not be flagged. Real people's questions,
copied word for word with their URL, live apart in `<corpus>/eval/real_questions.toml` (same
format) and are reported as their own block, never mixed into the written set's numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .corpus import load_toml
from .errors import CorpusError
from .kb import KnowledgeBase
from .models import Claim, Conflict, Passage

K = 5
Ranker = Callable[[str], list[str]]  # question -> ranked passage ids (at most K)


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("“", '"').replace("”", '"').split()).lower()


@dataclass(frozen=True)
class Question:
    text: str
    kind: str
    relevant: tuple[tuple[str, int], ...]  # (quote, grade)

    @property
    def abstain(self) -> bool:
        return not self.relevant


@dataclass(frozen=True)
class Judgments:
    questions: tuple[Question, ...]
    # Each side of a pair is one or more quotes: passages that state the same claim.
    conflicts: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    not_conflicts: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]


def load_judgments(path: Path) -> Judgments:
    """Read judgments; a malformed entry is a `CorpusError` naming the file."""
    data = load_toml(path)
    if not data:
        raise CorpusError(f"no judgments at {path}")
    questions = []
    for q in data.get("question", []):
        if not isinstance(q.get("text"), str):
            raise CorpusError(f"{path}: every [[question]] needs 'text'")
        relevant = tuple((r["quote"], int(r.get("grade", 1))) for r in q.get("relevant", []))
        if not relevant and not q.get("abstain"):
            raise CorpusError(f"{path}: question {q['text']!r} needs 'relevant' or abstain = true")
        questions.append(Question(q["text"], q.get("kind", "question"), relevant))

    def side(value: object) -> tuple[str, ...]:
        quotes = (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]
        if not quotes or not all(isinstance(q, str) for q in quotes):
            raise CorpusError(f"{path}: a conflict side must be a quote or a list of quotes")
        return quotes

    def pairs(key: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
        return tuple((side(e["a"]), side(e["b"])) for e in data.get(key, []))

    return Judgments(tuple(questions), pairs("conflict"), pairs("not_conflict"))


@dataclass
class Scores:
    """Mean metrics of one system over a set of questions."""

    ndcg: float = 0.0
    mrr: float = 0.0
    recall: float = 0.0
    questions: int = 0
    abstain_ok: int = 0
    abstain_total: int = 0
    false_abstain: int = 0


def grades(passages: Sequence[Passage], question: Question) -> dict[str, int]:
    """Passage id -> relevance grade for `question` (0 for passages it does not judge)."""
    out = {}
    for p in passages:
        text = _norm(p.text)
        grade = max((g for quote, g in question.relevant if _norm(quote) in text), default=0)
        if grade:
            out[p.id] = grade
    return out


def score_ranking(ranked: Sequence[str], relevant: dict[str, int]) -> tuple[float, float, float]:
    """(nDCG@K, reciprocal rank, recall@K) of one ranked list, with scikit-learn's nDCG."""
    from sklearn.metrics import ndcg_score

    ranked = list(ranked[:K])
    missing = [pid for pid in relevant if pid not in ranked]
    # Unretrieved relevant passages rank after K padding items, so a short list earns no credit.
    items = ranked + [f"_pad{i}" for i in range(K - len(ranked))] + missing
    true = np.array([[relevant.get(i, 0) for i in items]], dtype=float)
    score = np.array([[len(items) - n if n < K else -1.0 for n in range(len(items))]])
    ndcg = float(ndcg_score(true, score, k=K)) if true.any() else 0.0
    rr = next((1.0 / (n + 1) for n, pid in enumerate(ranked) if pid in relevant), 0.0)
    recall = sum(pid in relevant for pid in ranked) / len(relevant) if relevant else 0.0
    return ndcg, rr, recall


def evaluate_ranker(
    ranker: Ranker, passages: Sequence[Passage], questions: Sequence[Question]
) -> Scores:
    s = Scores()
    for q in questions:
        ranked = ranker(q.text)
        if q.abstain:
            s.abstain_total += 1
            s.abstain_ok += not ranked
            continue
        relevant = grades(passages, q)
        if not relevant:
            raise CorpusError(f"no passage contains a judged quote for question {q.text!r}")
        s.false_abstain += not ranked
        ndcg, rr, recall = score_ranking(ranked, relevant)
        s.ndcg += ndcg
        s.mrr += rr
        s.recall += recall
        s.questions += 1
    if s.questions:
        s.ndcg, s.mrr, s.recall = s.ndcg / s.questions, s.mrr / s.questions, s.recall / s.questions
    return s


def conflict_scores(
    conflicts: Sequence[Conflict], judgments: Judgments, passage_text: Callable[[str], str]
) -> dict[str, float]:
    """Precision, recall and F1 of detected conflicts against the gold pairs.

    A detected conflict matches a judged pair when one side's passage contains one quote and the
    other side's passage the other. Pairs judged not-conflicting count how many were flagged.
    """
    from sklearn.metrics import precision_recall_fscore_support

    def matches(x: Conflict, pair: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
        a, b = _norm(passage_text(x.a.passage)), _norm(passage_text(x.b.passage))

        def has(text: str, quotes: tuple[str, ...]) -> bool:
            return any(_norm(q) in text for q in quotes)

        return (has(a, pair[0]) and has(b, pair[1])) or (has(b, pair[0]) and has(a, pair[1]))

    detected = [x for x in conflicts if x.origin == "detected"]
    hit_gold = [any(matches(x, g) for x in detected) for g in judgments.conflicts]
    true_positive = [any(matches(x, g) for g in judgments.conflicts) for x in detected]
    # One row per gold pair and per detected conflict that matches no gold pair.
    y_true = [1] * len(hit_gold) + [0] * sum(not t for t in true_positive)
    y_pred = [int(h) for h in hit_gold] + [1] * sum(not t for t in true_positive)
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average="binary", zero_division=0)
    flagged = sum(any(matches(x, pair) for x in detected) for pair in judgments.not_conflicts)
    return {
        "precision": float(p),
        "recall": float(r),
        "f1": float(f),
        "detected": len(detected),
        "gold": len(judgments.conflicts),
        "false_flags": flagged,
        "not_conflicts": len(judgments.not_conflicts),
    }


# --- claims and conflicts on the development set (corpus/eval/claims_dev.toml) ----------------

CLAIMS_DEV = "claims_dev.toml"
_FIELDS = ("outcome", "direction", "attribution")


def _judged_sentence(entry: dict[str, Any]) -> str:
    return str(entry.get("claim") or entry["text"])


def _frames_for(claims: Sequence[Claim], sentence: str) -> list[Claim]:
    s = _norm(sentence)
    return [c for c in claims if _norm(c.text) in s or s in _norm(c.text)]


def _pick(frames: Sequence[Claim], agent: str | None, outcome: str | None) -> list[Claim]:
    """The frames matching the judged agent / outcome when given (all frames otherwise)."""
    out = list(frames)
    if outcome is not None:
        want = None if outcome == "none" else outcome
        out = [c for c in out if c.outcome == want] or out
    if agent is not None:
        out = [c for c in out if c.agent == agent] or out
    return out


def claim_dev_scores(kb: KnowledgeBase, path: Path) -> dict[str, Any]:
    """Claim tagging accuracy and conflict precision / recall on the development set.

    Each judged claim is read by the real extraction from its quoted text alone (a one-passage
    article); each judged pair is compared by the real comparator on its two tagged sides (a
    bundled article's side is its claim in the corpus).
    """
    from .claims import compare, load_rules, read_text
    from .corpus import bundled_corpus

    data = load_toml(path)
    rules = load_rules(kb.corpus, bundled_corpus())
    claims = data.get("claim", [])
    if not isinstance(claims, list):
        raise CorpusError(f"{path}: [[claim]] must be an array of tables")
    read: dict[tuple[str, str], list[Claim]] = {}
    titles = {p.get("id"): str(p.get("title", "")) for p in data.get("page", [])}

    def frames_of(page: str, text: str) -> list[Claim]:
        if (page, text) not in read:
            read[(page, text)] = read_text(text, rules, page, titles.get(page, ""))
        return read[(page, text)]

    right = dict.fromkeys((*_FIELDS, "all"), 0)
    for entry in claims:
        for key in ("page", "text", "direction", "attribution"):
            if not isinstance(entry.get(key), str):
                raise CorpusError(f"{path}: every [[claim]] needs a string {key!r}")
        found = _pick(
            _frames_for(frames_of(entry["page"], entry["text"]), _judged_sentence(entry)),
            None,
            entry.get("outcome"),
        )
        got = found[0] if found else None
        predicted = {
            "outcome": (got.outcome if got else None) or "none",
            "direction": got.direction if got else None,
            "attribution": got.attribution if got else "asserted",
        }
        ok = [predicted[f] == (entry.get(f) or "none") for f in _FIELDS]
        for f, hit in zip(_FIELDS, ok, strict=True):
            right[f] += hit
        right["all"] += all(ok)
    n = len(claims)
    tagging = {f: right[f] / n if n else 0.0 for f in right} | {"claims": n}

    by_page: dict[str, list[dict[str, Any]]] = {}
    for entry in claims:
        by_page.setdefault(entry["page"], []).append(entry)
    corpus_claims: dict[str, list[Claim]] = {}

    def side(value: Any) -> list[Claim]:
        if not isinstance(value, dict) or not all(
            isinstance(value.get(k), str) for k in ("page", "quote")
        ):
            raise CorpusError(f"{path}: a [[pair]] side needs 'page' and 'quote' strings")
        page, quote = value["page"], value["quote"]
        if page in by_page:
            texts = [e["text"] for e in by_page[page] if _norm(quote) in _norm(e["text"])]
            texts = texts or [e["text"] for e in by_page[page] if _norm(e["text"]) in _norm(quote)]
            found = [c for t in texts for c in _frames_for(frames_of(page, t), quote)]
        else:
            if page not in corpus_claims:
                corpus_claims[page] = [c for c in kb.claims if c.source == page]
            found = _frames_for(corpus_claims[page], quote) or _frames_for(
                frames_of(page, quote), quote
            )
        return _pick([c for c in found if c.direction], value.get("agent"), value.get("outcome"))

    tp = fp = fn = tn = kind_right = 0
    for pair in data.get("pair", []):
        a, b = side(pair.get("a")), side(pair.get("b"))
        results = [r for x in a for y in b if (r := compare(x, y, rules)) is not None]
        gold = bool(pair.get("conflict"))
        if results and gold:
            tp += 1
            kind_right += any(k == pair.get("kind") for k, _ in results)
        elif results:
            fp += 1
        elif gold:
            fn += 1
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tagging": tagging,
        "conflicts": {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "pairs": tp + fp + fn + tn,
            "gold": tp + fn,
            "flagged": tp + fp,
            "kind_right": kind_right,
        },
    }


def format_claims(scores: dict[str, Any]) -> list[str]:
    t, c = scores["tagging"], scores["conflicts"]
    return [
        f"dev claims ({t['claims']}): outcome {t['outcome']:.2f}  direction {t['direction']:.2f}  "
        f"attribution {t['attribution']:.2f}  all three {t['all']:.2f}",
        f"dev conflicts: precision {c['precision']:.2f}  recall {c['recall']:.2f}  F1 {c['f1']:.2f}  "
        f"({c['flagged']} flagged, {c['gold']} gold of {c['pairs']} pairs; kind right {c['kind_right']})",
    ]


def tfidf_baseline(passages: Sequence[Passage]) -> Ranker:
    """Plain scikit-learn TF-IDF over passage text: default tokenizer, no stemming or synonyms."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english")
    matrix = vectorizer.fit_transform([p.text for p in passages])
    ids = [p.id for p in passages]

    def rank(q: str) -> list[str]:
        scores = (matrix @ vectorizer.transform([q]).T).toarray()[:, 0]
        order = np.argsort(-scores, kind="stable")[:K]
        return [ids[i] for i in order if scores[i] > 0]

    return rank


def bm25_baseline(passages: Sequence[Passage]) -> Ranker | None:
    """bm25s with its English stop words and defaults, or None when bm25s is not installed."""
    try:
        import bm25s
    except ImportError:
        return None
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize([p.text for p in passages], stopwords="en", show_progress=False),
        show_progress=False,
    )
    ids = [p.id for p in passages]

    def rank(q: str) -> list[str]:
        tokens = bm25s.tokenize([q], stopwords="en", show_progress=False)
        if not tokens.vocab:
            return []
        docs, scores = retriever.retrieve(tokens, k=min(K, len(ids)), show_progress=False)
        return [ids[int(d)] for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    return rank


@dataclass
class Report:
    systems: dict[str, dict[str, Scores]] = field(default_factory=dict)  # system -> kind -> scores
    conflicts: dict[str, float] = field(default_factory=dict)
    dev: dict[str, Any] = field(default_factory=dict)  # claims and conflicts on claims_dev.toml
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "retrieval": {
                name: {kind: vars(s) for kind, s in kinds.items()}
                for name, kinds in self.systems.items()
            },
            "conflicts": self.conflicts,
            "dev": self.dev,
            "unavailable": self.missing,
        }


def evaluate(kb: KnowledgeBase, judgments: Judgments, real: Judgments | None = None) -> Report:
    """Run every question through lrkb and the baselines, and score conflicts.

    `real`: real people's questions, scored as their own block ("real") beside the written set.
    """
    passages = kb.passages
    rankers: dict[str, Ranker] = {"lrkb": lambda q: [h.id for h in kb.ask(q, k=K).hits]}
    rankers["tfidf"] = tfidf_baseline(passages)
    report = Report()
    bm25 = bm25_baseline(passages)
    if bm25 is None:
        report.missing.append("bm25 (pip install 'lrkb[eval]')")
    else:
        rankers["bm25"] = bm25
    kinds = sorted({q.kind for q in judgments.questions})
    for name, ranker in rankers.items():
        per_kind = {"all": evaluate_ranker(ranker, passages, judgments.questions)}
        for kind in kinds:
            subset = [q for q in judgments.questions if q.kind == kind]
            per_kind[kind] = evaluate_ranker(ranker, passages, subset)
        if real is not None and real.questions:
            per_kind["real"] = evaluate_ranker(ranker, passages, real.questions)
        report.systems[name] = per_kind
    texts = {p.id: p.text for p in passages}
    report.conflicts = conflict_scores(kb.conflicts(), judgments, texts.__getitem__)
    dev = kb.corpus / "eval" / CLAIMS_DEV
    if dev.exists():
        report.dev = claim_dev_scores(kb, dev)
    return report


def format_report(report: Report) -> str:
    """The report as a plain-text table, lrkb beside each baseline."""
    names = list(report.systems)
    lines = [f"{'retrieval (k=5)':<28}" + "".join(f"{n:>9}" for n in names)]
    kinds = list(next(iter(report.systems.values())))
    for kind in kinds:
        first = report.systems[names[0]][kind]
        label = "real questions" if kind == "real" else "questions"
        lines.append(f"{kind} ({first.questions} {label})")
        for metric in ("ndcg", "mrr", "recall"):
            label = {"ndcg": "nDCG@5", "mrr": "MRR", "recall": "recall@5"}[metric]
            lines.append(
                f"  {label:<26}"
                + "".join(f"{getattr(report.systems[n][kind], metric):>9.3f}" for n in names)
            )
    for block in ("all", "real"):
        if block not in kinds:
            continue
        overall = {n: report.systems[n][block] for n in names}
        lines.append("abstention" + (" (real questions)" if block == "real" else ""))
        lines.append(
            f"  {'out-of-domain abstained':<26}"
            + "".join(f"{f'{s.abstain_ok}/{s.abstain_total}':>9}" for s in overall.values())
        )
        lines.append(
            f"  {'in-domain wrongly abstained':<26}"
            + "".join(f"{s.false_abstain:>9}" for s in overall.values())
        )
    c = report.conflicts
    lines.append(
        f"bundled conflicts: precision {c['precision']:.2f}  recall {c['recall']:.2f}  "
        f"F1 {c['f1']:.2f}  ({c['detected']} detected, {c['gold']} gold; "
        f"{c['false_flags']} of {c['not_conflicts']} must-not pairs flagged)"
    )
    if report.dev:
        lines += format_claims(report.dev)
    lines += [f"not run: {m}" for m in report.missing]
    return "\n".join(lines)


def judgments_path(kb: KnowledgeBase) -> Path:
    return kb.corpus / "eval" / "judgments.toml"


def real_questions_path(kb: KnowledgeBase) -> Path:
    return kb.corpus / "eval" / "real_questions.toml"


def load_real(kb: KnowledgeBase) -> Judgments | None:
    """The corpus's real-question judgments, or None when it has none."""
    path = real_questions_path(kb)
    return load_judgments(path) if path.exists() else None


__all__ = [
    "Judgments",
    "Report",
    "evaluate",
    "format_report",
    "judgments_path",
    "load_judgments",
    "load_real",
]
