"""Query latency of lrkb, tantivy and bm25s side by side in one process, on every query mix.

    python bench/side.py [--size 100000] [--rounds 5] [--no-bm25s]

Uses the corpus and peer indexes `make bench` left in bench/out/nN (builds the peers' indexes
when they are missing). The engines take turns mix by mix, `--rounds` times; each cell is the
median over rounds of p50 / p95 (ms) over 20 repeats of the mix (bm25s: 3), so a busy machine
slows all engines alike and the ratios hold better than the times.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-bm25s", action="store_true")
    args = parser.parse_args()
    work = run.OUT / f"n{args.size}"
    corpus = work / "corpus"
    if not corpus.exists():
        run.generate(corpus, args.size)
    sys.path.insert(0, str(run.HERE.parent / "src"))
    lrkb_build = [sys.executable, "-m", "lrkb", "--corpus", str(corpus), "search", "warm"]
    subprocess.run(lrkb_build, stdout=subprocess.DEVNULL, check=True)
    for name, script in [("bm25s", run.BM25_BUILD), ("tantivy", run.TANTIVY_BUILD)]:
        if not (work / name).exists() and not (name == "bm25s" and args.no_bm25s):
            (work / name).mkdir(parents=True)
            subprocess.run(
                [sys.executable, "-c", script, str(corpus), str(work / name)], check=True
            )
    mixes = {"today": run.QUERIES, "common": run.common_mix(corpus), **run.other_mixes(corpus)}
    figures = run.latencies(
        corpus, work, mixes, args.rounds, without="bm25s" if args.no_bm25s else ""
    )
    names = list(figures)
    peers = [n for n in names if n != "lrkb"]
    print(
        "| mix | "
        + " | ".join(f"{n} p50 / p95" for n in names)
        + " | "
        + " | ".join(f"lrkb / {p} (p50)" for p in peers)
        + " |"
    )
    print("| --- |" + " --- |" * (len(names) + len(peers)))
    for mix in mixes:
        p50 = {n: figures[n][f"{mix}_p50_ms"] for n in names}
        p95 = {n: figures[n][f"{mix}_p95_ms"] for n in names}
        print(
            f"| {mix} | "
            + " | ".join(f"{p50[n]:.3f} / {p95[n]:.3f}" for n in names)
            + " | "
            + " | ".join(f"{p50['lrkb'] / p50[p]:.2f}" for p in peers)
            + " |"
        )


if __name__ == "__main__":
    main()
