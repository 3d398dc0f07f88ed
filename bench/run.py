"""`make bench`: lrkb beside bm25s (and tantivy when installed) on one synthetic corpus, one machine.

For each size: build time and peak RSS (a fresh process), index size on disk, load time, in-process
query latency p50/p95 of every engine on eight query mixes (today's topical pairs, 2-6 of the
corpus's most frequent words, and six more in `other_mixes`), the engines taking turns mix by mix
in three rounds (`latencies`), ask for lrkb, the wall time of a cold search process (median of
several runs), and for lrkb the median of three whole `lrkb add` processes (each adding one more
article) and the next ask's p50. Ratios are lrkb / peer: below 1 means lrkb is faster or smaller.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "out"
QUERIES = [
    "running recovery",
    "muscle soreness",
    "interference effect",
    "protein intake",
    "light jog",
    "heavy squats",
    "lactic acid",
    "training volume",
    "rest day",
    "hydration",
]
COMMON = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "with",
    "was",
    "on",
    "be",
    "by",
    "this",
    "are",
    "from",
    "or",
    "have",
    "an",
    "not",
    "which",
    "but",
    "at",
    "they",
    "can",
    "more",
    "one",
    "all",
    "their",
    "has",
    "been",
    "were",
    "its",
    "also",
    "when",
    "there",
    "so",
    "than",
    "would",
    "about",
    "into",
    "other",
    "these",
    "some",
    "time",
    "only",
    "such",
    "may",
    "what",
    "most",
    "over",
    "after",
    "could",
    "running",
    "recovery",
    "muscle",
    "soreness",
    "interference",
    "effect",
    "protein",
    "intake",
    "light",
    "jog",
    "heavy",
    "squats",
    "lactic",
    "acid",
    "training",
    "volume",
    "rest",
    "day",
    "hydration",
    "legs",
    "gains",
    "strength",
    "endurance",
    "cardio",
    "sprint",
    "hypertrophy",
    "glycogen",
    "fatigue",
    "injury",
    "stretching",
    "warm",
]


def common_mix(corpus: Path, n: int = 20, seed: int = 11) -> list[str]:
    """Queries of 2 to 6 words drawn from the corpus's 100 most frequent words that are not
    stop words: what real questions on a topical corpus are made of."""
    import re
    from collections import Counter

    from lrkb.analysis import STOP_WORDS

    counts: Counter[str] = Counter()
    for path in sorted(corpus.glob("*.md"))[:200]:  # 10,000 passages: the ranks are stable
        counts.update(re.findall(r"[a-z]+", path.read_text().lower()))
    top = [w for w, _ in counts.most_common() if w not in STOP_WORDS and len(w) > 2][:100]
    rng = random.Random(seed)
    return [" ".join(rng.sample(top, rng.randint(2, 6))) for _ in range(n)]


# Real people's phrasing (corpus/eval/real_questions.toml), stop words kept, with corpus words in
# the slots: 10 to 14 words each.
TEMPLATES = [
    "will {a} affect my ability to put on {b} {c}?",
    "How much will my {a} suffer if I do {b} a couple hours before {c}?",
    "is it okay to {a} with sore {b} the day after {c}?",
    "I'm wondering if the {a} is having a negative impact on the {b} and {c}",
    "should I do {a} before or after {b} on the same day as {c}?",
    "what is the best way of getting rid of {a} in your {b}",
    "any advice on how to fit {a} in with heavy {b} and {c}?",
    "can I still pack on {a} from {b} every day if I {c}?",
]
MARKS = ["?!", "...", "(", ")", "--", "/", ";", "'", '"', ":", "#", "*", "&", "!!!", ",", "?"]


def other_mixes(corpus: Path, n: int = 20, seed: int = 5) -> dict[str, list[str]]:
    """Query mixes nobody tuned for, drawn from the corpus (deterministic): one rare word (in 1
    to 3 of 10,000 passages), one of the 20 most frequent words, long questions (real phrasing
    filled with corpus words), 1 to 3 words the corpus does not have, 1 to 3 frequent words
    each repeated 2 to 4 times, and 2 to 5 frequent words in punctuation."""
    import re
    from collections import Counter

    from lrkb.analysis import STOP_WORDS

    counts: Counter[str] = Counter()
    df: Counter[str] = Counter()
    for path in sorted(corpus.glob("*.md"))[:200]:
        for passage in path.read_text().lower().split("\n\n"):
            found = re.findall(r"[a-z]+", passage)
            counts.update(found)
            df.update(set(found))
    ranked = [w for w, _ in counts.most_common() if w not in STOP_WORDS and len(w) > 2]
    top, mid = ranked[:100], ranked[:2000]
    rng = random.Random(seed)
    absent: list[str] = []
    while len(absent) < 2 * n:
        letters = list(rng.choice(mid) + rng.choice(mid))
        rng.shuffle(letters)
        word = "".join(letters[: rng.randint(4, 10)])
        if word not in counts:
            absent.append(word)
    return {
        "rare": rng.sample(sorted(w for w in ranked if df[w] <= 3), n),
        "frequent": ranked[:n],
        "long": [
            rng.choice(TEMPLATES).format(a=rng.choice(mid), b=rng.choice(top), c=rng.choice(mid))
            for _ in range(n)
        ],
        "absent": [" ".join(rng.sample(absent, rng.randint(1, 3))) for _ in range(n)],
        "repeated": [
            " ".join(
                w for w in rng.sample(top, rng.randint(1, 3)) for _ in range(rng.randint(2, 4))
            )
            for _ in range(n)
        ],
        "punctuation": [
            " ".join(w + rng.choice(MARKS) for w in rng.sample(top, rng.randint(2, 5)))
            for _ in range(n)
        ],
    }


def vocabulary(n: int, rng: random.Random) -> list[str]:
    syllables = [
        "ka",
        "lo",
        "mi",
        "ne",
        "ru",
        "ta",
        "shi",
        "po",
        "den",
        "gar",
        "bel",
        "tor",
        "vin",
        "sa",
        "qua",
        "fel",
        "zo",
        "rim",
        "the",
        "ast",
    ]
    words = list(dict.fromkeys(COMMON))
    while len(words) < n:
        words.append("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return words[:n]


def generate(root: Path, passages: int, seed: int = 7) -> None:
    """Deterministic Markdown articles, 50 passages each, Zipf-distributed words."""
    import numpy as np

    rng = random.Random(seed)
    words = vocabulary(50_000, rng)
    ranks = np.arange(1, len(words) + 1)
    weights = 1.0 / ranks**1.07
    weights /= weights.sum()
    gen = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    per_article = 50
    for a in range(0, passages, per_article):
        n = min(per_article, passages - a)
        lengths = gen.integers(40, 120, size=n)
        drawn = gen.choice(len(words), size=int(lengths.sum()), p=weights)
        lines = [
            f"---\nid: a{a // per_article:06d}\ntitle: Article {a // per_article}\n---\n",
            f"# Article {a // per_article}\n",
        ]
        pos = 0
        for i, length in enumerate(lengths):
            if i % 5 == 0:
                lines.append(f"## Section {i // 5} {words[int(drawn[pos])].title()}\n")
            text = " ".join(words[int(w)] for w in drawn[pos : pos + length])
            pos += length
            lines.append(text[0].upper() + text[1:] + ".\n")
        (root / f"a{a // per_article:06d}.md").write_text("\n".join(lines))


def _run_measured(cmd: list[str]) -> tuple[float, int, int, str]:
    """Run `cmd`; its wall time, peak RSS in MiB, exit code and the end of its stderr."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, rusage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, rusage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status), err.decode()[-500:]


# Linux keeps a process's peak RSS across exec, so a child of this (by then large) process would
# report this process's peak as its own. Measured commands run from a small launcher started
# before anything is loaded.
_LAUNCHER: ProcessPoolExecutor | None = None


def launcher() -> ProcessPoolExecutor:
    global _LAUNCHER
    if _LAUNCHER is None:
        _LAUNCHER = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        _LAUNCHER.submit(int).result()  # start it now, while this process is small
    return _LAUNCHER


def timed_process(cmd: list[str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in MiB) of a child process; a failing child is an error."""
    wall, rss, code, err = launcher().submit(_run_measured, cmd).result()
    if code != 0:
        raise RuntimeError(f"{cmd[:3]} failed: {err}")
    return wall, rss


def median_wall(cmd: list[str], runs: int = 5) -> float:
    return statistics.median(timed_process(cmd)[0] for _ in range(runs))


def percentiles(fn, queries: list[str], repeat: int = 20) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.95)]


def paired_medians(fns: list, queries: list[str], repeat: int = 5) -> list[float]:
    """The median latency in ms of each of `fns` over `queries`, the functions taking turns on
    each query (first one first, then the other, round by round)."""
    times: list[list[float]] = [[] for _ in fns]
    for r in range(repeat):
        turns = list(enumerate(fns))
        for q in queries:
            for i, fn in turns if r % 2 == 0 else turns[::-1]:
                t = time.perf_counter()
                fn(q)
                times[i].append((time.perf_counter() - t) * 1000)
    return [statistics.median(t) for t in times]


def bench_lrkb(corpus: Path) -> dict[str, float]:
    lrkb_bin = [sys.executable, "-m", "lrkb", "--corpus", str(corpus)]
    shutil.rmtree(corpus / ".lrkb", ignore_errors=True)
    build_s, rss = timed_process([*lrkb_bin, "search", "warm"])
    size = (corpus / ".lrkb" / "index.pack").stat().st_size / 2**20
    sys.path.insert(0, str(HERE.parent / "src"))
    import lrkb

    t = time.perf_counter()
    kb = lrkb.open(corpus)
    kb.search("running")
    load_s = time.perf_counter() - t
    a50, a95 = percentiles(lambda q: kb.ask(q, k=5), QUERIES, repeat=5)
    cold_search = median_wall([*lrkb_bin, "search", "muscle soreness"])
    cold_ask = median_wall([*lrkb_bin, "ask", "muscle soreness"])
    # Three generated articles added one after another, each by a whole `lrkb add` process (a
    # real add to the corpus as the one before left it): add_s is the median; then the next ask.
    added, times = [], []
    try:
        for n, seed in enumerate((99, 98, 97)):
            generate(corpus.parent / f"one-{seed}", 50, seed=seed)
            text = (corpus.parent / f"one-{seed}" / "a000000.md").read_text()
            article = corpus.parent / f"added-{n}.md"
            article.write_text(text.replace("id: a000000", f"id: bench-added-{n}", 1))
            added.append(corpus / f"bench-added-{n}.md")
            times.append(timed_process([*lrkb_bin, "add", str(article)])[0])
        add_s = statistics.median(times)
        # The corpus before the adds (its base pack is unchanged, and `kb` has read it) and
        # after them, asked in turns: measured one after the other, the two medians differed by
        # the drift of the machine and of the process's heap as much as by the add.
        after = lrkb.open(corpus)
        after.search("running")
        # Once through the questions, as `kb` was (ask_p50_ms): a knowledge base's first ask
        # on a question decodes what it then keeps (its issues' claims, their standing), and
        # counting those first asks for one side only made the medians differ by 2 to 9 %.
        for q in QUERIES:
            after.ask(q, k=5)
        before50, after50 = paired_medians(
            [lambda q: kb.ask(q, k=5), lambda q: after.ask(q, k=5)], QUERIES, repeat=5
        )
    finally:
        for path in added:
            path.unlink(missing_ok=True)
    return {
        "build_s": build_s,
        "peak_rss_mb": rss,
        "index_mb": size,
        "load_s": load_s,
        "ask_p50_ms": a50,
        "ask_p95_ms": a95,
        "cold_search_s": cold_search,
        "cold_ask_s": cold_ask,
        "add_s": add_s,
        "ask_before_add_p50_ms": before50,
        "ask_after_add_p50_ms": after50,
    }


def peer_result(
    build_s: float,
    rss: int,
    out: Path,
    load_s: float,
    cold_script: str,
) -> dict[str, float]:
    """The figures of a peer engine whose index lives in `out`, but its query latencies."""
    return {
        "build_s": build_s,
        "peak_rss_mb": rss,
        "index_mb": sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20,
        "load_s": load_s,
        "cold_search_s": median_wall(
            [sys.executable, "-c", cold_script, str(out), "muscle soreness"]
        ),
    }


BM25_BUILD = """
import sys, pathlib, bm25s
root, out = pathlib.Path(sys.argv[1]), sys.argv[2]
texts = []
for p in sorted(root.glob('*.md')):
    body = p.read_text().split('---\\n', 2)[2]
    texts += [b.strip() for b in body.split('\\n\\n') if b.strip() and not b.startswith('#')]
r = bm25s.BM25()
r.index(bm25s.tokenize(texts, stopwords='en', show_progress=False), show_progress=False)
r.save(out, corpus=texts)
"""
BM25_QUERY = """
import sys, bm25s
r = bm25s.BM25.load(sys.argv[1], load_corpus=True)
docs, scores = r.retrieve(bm25s.tokenize([sys.argv[2]], stopwords='en', show_progress=False), k=5, show_progress=False)
"""


def bench_bm25(corpus: Path, work: Path) -> dict[str, float] | None:
    try:
        import bm25s
    except ImportError:
        return None
    out = work / "bm25s"
    shutil.rmtree(out, ignore_errors=True)
    build_s, rss = timed_process([sys.executable, "-c", BM25_BUILD, str(corpus), str(out)])
    t = time.perf_counter()
    r = bm25s.BM25.load(str(out), load_corpus=True)
    load_s = time.perf_counter() - t
    del r
    return peer_result(build_s, rss, out, load_s, BM25_QUERY)


TANTIVY_BUILD = """
import sys, pathlib, tantivy
root, out = pathlib.Path(sys.argv[1]), sys.argv[2]
builder = tantivy.SchemaBuilder()
builder.add_text_field("body", stored=True)
index = tantivy.Index(builder.build(), path=out)
writer = index.writer()
for p in sorted(root.glob('*.md')):
    body = p.read_text().split('---\\n', 2)[2]
    for b in body.split('\\n\\n'):
        if b.strip() and not b.startswith('#'):
            writer.add_document(tantivy.Document(body=b.strip()))
writer.commit()
"""
TANTIVY_QUERY = """
import sys, tantivy
index = tantivy.Index.open(sys.argv[1])
searcher = index.searcher()
hits = searcher.search(index.parse_query(sys.argv[2], ["body"]), 5).hits
docs = [searcher.doc(address)["body"] for _, address in hits]
"""


def bench_tantivy(corpus: Path, work: Path) -> dict[str, float] | None:
    try:
        import tantivy
    except ImportError:
        return None
    out = work / "tantivy"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    build_s, rss = timed_process([sys.executable, "-c", TANTIVY_BUILD, str(corpus), str(out)])
    t = time.perf_counter()
    tantivy.Index.open(str(out)).searcher()
    load_s = time.perf_counter() - t
    return peer_result(build_s, rss, out, load_s, TANTIVY_QUERY)


def engines(corpus: Path, work: Path) -> dict[str, Callable[[str], object]]:
    """Each engine's search (k=10, passage texts), loaded once, on the indexes `bench_lrkb`,
    `bench_bm25` and `bench_tantivy` built in `corpus` and `work`."""
    sys.path.insert(0, str(HERE.parent / "src"))
    import lrkb

    kb = lrkb.open(corpus)
    kb.search("running")
    found: dict[str, Callable[[str], object]] = {"lrkb": lambda q: kb.search(q, k=10)}
    if (work / "bm25s").exists():
        import bm25s

        r = bm25s.BM25.load(str(work / "bm25s"), load_corpus=True)
        found["bm25s"] = lambda q: r.retrieve(
            bm25s.tokenize([q], stopwords="en", show_progress=False), k=10, show_progress=False
        )
    if (work / "tantivy").exists():
        import tantivy

        index = tantivy.Index.open(str(work / "tantivy"))
        searcher = index.searcher()

        def search(q: str) -> list[str]:
            # Lenient: punctuation is query syntax to tantivy's parser.
            hits = searcher.search(index.parse_query_lenient(q, ["body"])[0], 10).hits
            return [searcher.doc(address)["body"] for _, address in hits]

        found["tantivy"] = search
    return found


def latencies(
    corpus: Path, work: Path, mixes: dict[str, list[str]], rounds: int = 3, without: str = ""
) -> dict[str, dict[str, float]]:
    """p50 and p95 (ms) of every engine on each of `mixes`, k=10 with passage texts. The engines
    take turns mix by mix, `rounds` times, and each figure is the median over rounds, so a
    moment of load (a build's pages still being written back, another process) slows every
    engine alike instead of whichever ran then. bm25s, 50 times slower, runs 3 repeats a mix."""
    cells: dict[tuple[str, str], list[tuple[float, float]]] = {}
    found = engines(corpus, work)
    found.pop(without, None)
    for _ in range(rounds):
        for mix, queries in mixes.items():
            for name, search in found.items():
                repeat = 3 if name == "bm25s" else 20
                cells.setdefault((name, mix), []).append(percentiles(search, queries, repeat))
    out: dict[str, dict[str, float]] = {}
    for (name, mix), runs in cells.items():
        figures = out.setdefault(name, {})
        figures[f"{mix}_p50_ms"] = statistics.median(p50 for p50, _ in runs)
        figures[f"{mix}_p95_ms"] = statistics.median(p95 for _, p95 in runs)
    return out


def table(
    results: dict[int, dict[str, dict[str, float] | None]],
    load: str = "",
    keys: list[str] | None = None,
) -> str:
    keys = keys or [
        "build_s",
        "peak_rss_mb",
        "index_mb",
        "load_s",
        "search_p50_ms",
        "search_p95_ms",
        "common_p50_ms",
        "common_p95_ms",
        "ask_p50_ms",
        "cold_search_s",
        "cold_ask_s",
        "add_s",
        "ask_before_add_p50_ms",
        "ask_after_add_p50_ms",
    ]
    peers = ["bm25s", "tantivy"]
    lines = [
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}" + (f", load average {load}" if load else ""),
        "",
        "| passages | metric | lrkb | "
        + " | ".join(peers)
        + " | "
        + " | ".join(f"lrkb / {p}" for p in peers)
        + " |",
        "| --- | --- | --- |" + " --- |" * (2 * len(peers)),
    ]
    for size, systems in results.items():
        ours = systems["lrkb"] or {}
        for k in keys:
            if k not in ours:
                continue
            theirs = [(systems.get(p) or {}).get(k) for p in peers]
            values = " | ".join("–" if v is None else f"{v:.3f}" for v in theirs)
            ratios = " | ".join("–" if not v else f"{ours[k] / v:.2f}" for v in theirs)
            lines.append(f"| {size:,} | {k} | {ours[k]:.3f} | {values} | {ratios} |")
    return "\n".join(lines)


def targets(results: dict[int, dict[str, dict[str, float] | None]], cold_bundled: float) -> str:
    """Issue 12's targets, each judged on this run's figures alone (those of the sizes run)."""

    def get(size: int, system: str, key: str) -> float | None:
        return ((results.get(size) or {}).get(system) or {}).get(key)

    rows: list[tuple[str, str, bool]] = []

    def row(target: str, figures: list[float | None], text: str, met: Callable[..., bool]) -> None:
        if all(f is not None for f in figures):
            rows.append((target, text.format(*figures), met(*figures)))

    k, m = 100_000, 1_000_000
    row(
        "100k, common-word mix: p50 at most half of bm25s",
        [get(k, "lrkb", "common_p50_ms"), get(k, "bm25s", "common_p50_ms")],
        "{:.3f} / {:.3f} ms",
        lambda a, b: a <= b / 2,
    )
    for mix, name in (("common", "common-word mix"), ("search", "today's mix")):
        row(
            f"100k, {name}: p50 no slower than tantivy",
            [get(k, "lrkb", f"{mix}_p50_ms"), get(k, "tantivy", f"{mix}_p50_ms")],
            "{:.3f} / {:.3f} ms",
            lambda a, b: a <= b,
        )
    row(
        "100k, today's mix: p50 at least 10x faster than bm25s",
        [get(k, "lrkb", "search_p50_ms"), get(k, "bm25s", "search_p50_ms")],
        "{:.3f} / {:.3f} ms",
        lambda a, b: a * 10 <= b,
    )
    for mix, name in (("search", "today's mix"), ("common", "common-word mix")):
        row(
            f"1M, {name}: p50 under 2 ms, p95 under 5 ms",
            [get(m, "lrkb", f"{mix}_p50_ms"), get(m, "lrkb", f"{mix}_p95_ms")],
            "p50 {:.3f}, p95 {:.3f} ms",
            lambda a, b: a < 2 and b < 5,
        )
    row(
        "100k, `lrkb add` of one article: under 0.5 s wall",
        [get(k, "lrkb", "add_s")],
        "{:.3f} s",
        lambda a: a < 0.5,
    )
    for size in results:
        row(
            f"{size:,}: the ask after the adds as fast as before (within 5 %)"
            + ("" if size == k else "; the target is at 100k"),
            [get(size, "lrkb", "ask_before_add_p50_ms"), get(size, "lrkb", "ask_after_add_p50_ms")],
            "{:.3f} / {:.3f} ms",
            lambda a, b: b <= a * 1.05,
        )
    row(
        "cold `lrkb ask` on the bundled corpus: under 0.2 s",
        [cold_bundled],
        "{:.3f} s",
        lambda a: a < 0.2,
    )
    row(
        "100k build: within 2x of bm25s",
        [get(k, "lrkb", "build_s"), get(k, "bm25s", "build_s")],
        "{:.1f} / {:.1f} s",
        lambda a, b: a <= 2 * b,
    )
    row(
        "1M build: under 4 minutes and 4 GB, with claims",
        [get(m, "lrkb", "build_s"), get(m, "lrkb", "peak_rss_mb")],
        "{:.1f} s, {:.0f} MB",
        lambda a, b: a < 240 and b < 4096,
    )
    lines = ["| target | this run | met? |", "| --- | --- | --- |"]
    lines += [f"| {t} | {text} | {'yes' if met else '**no**'} |" for t, text, met in rows]
    return "\n".join(lines)


def cold_bundled_ask() -> float:
    """Median wall time of 11 whole `lrkb ask` processes on the bundled corpus (built first)."""
    cmd = [sys.executable, "-m", "lrkb", "--corpus", str(HERE.parent / "corpus")]
    timed_process([*cmd, "ask", "does running kill gains"])
    return median_wall([*cmd, "ask", "does running kill gains"], runs=11)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    launcher()
    load_before = os.getloadavg()[0]  # other users of the machine inflate every wall time
    results: dict[int, dict[str, dict[str, float] | None]] = {}
    name = "results-" + args.sizes.replace(",", "-")
    other_keys: list[str] = []
    for size in (int(s) for s in args.sizes.split(",")):
        work = OUT / f"n{size}"
        corpus = work / "corpus"
        if not corpus.exists():
            print(f"generating {size:,} passages …", file=sys.stderr)
            generate(corpus, size)
        print(f"benchmarking {size:,} passages …", file=sys.stderr)
        sys.path.insert(0, str(HERE.parent / "src"))
        results[size] = {
            "lrkb": bench_lrkb(corpus),
            "bm25s": bench_bm25(corpus, work),
            "tantivy": bench_tantivy(corpus, work),
        }
        others = other_mixes(corpus)
        mixes = {"search": QUERIES, "common": common_mix(corpus), **others}
        for engine, figures in latencies(corpus, work, mixes).items():
            results[size][engine] = {**(results[size][engine] or {}), **figures}
        other_keys = [f"{m}_{p}_ms" for m in others for p in ("p50", "p95")]
        (OUT / f"{name}.json").write_text(
            json.dumps({str(k): v for k, v in results.items()}, indent=2)
        )
    cold = cold_bundled_ask()
    load = f"{load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    report = table(results, load) + "\n\nOther query mixes:\n\n" + table(results, keys=other_keys)
    report += "\n\nIssue 12's targets, judged on this run alone:\n\n" + targets(results, cold)
    print(report)
    (OUT / f"{name}.md").write_text(report + "\n")


if __name__ == "__main__":
    main()
