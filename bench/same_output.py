"""Check that a speed-only change leaves lrkb's output byte-identical to another revision's.

    python bench/same_output.py [--against main] [CORPUS ...]

For the bundled corpus and each CORPUS (default: bench/out/n10000/corpus when it exists), builds
a copy with this checkout's code and with the code of `--against` (read with `git archive`,
run from a temporary directory with this interpreter), then compares `lrkb claims --json` and
`lrkb conflicts --json` byte for byte; on the bundled corpus also `lrkb eval`. Exits 1 naming
every output that differs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def outputs(src: Path, corpus: Path, work: Path, with_eval: bool) -> dict[str, bytes]:
    """The outputs of lrkb (code under `src`) on a fresh copy of `corpus`."""
    copy = work / "corpus"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(corpus, copy, ignore=shutil.ignore_patterns(".lrkb"))
    env = {**os.environ, "PYTHONPATH": str(src), "COLUMNS": "100"}
    lrkb = [sys.executable, "-m", "lrkb", "--corpus", str(copy)]
    commands = {"claims": ["claims", "--json"], "conflicts": ["conflicts", "--json"]}
    if with_eval:
        commands["eval"] = ["eval"]
    out = {}
    for name, args in commands.items():
        run = subprocess.run([*lrkb, *args], env=env, capture_output=True, check=False)
        out[name] = run.stdout + b"\nexit %d\n" % run.returncode
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="main", help="git revision to compare with")
    parser.add_argument("corpora", nargs="*", type=Path)
    args = parser.parse_args()
    corpora = args.corpora or [c for c in [HERE / "out" / "n10000" / "corpus"] if c.is_dir()]
    differ = []
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        other.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.against, "src", "corpus"],
            capture_output=True,
            check=True,
        )
        subprocess.run(["tar", "-x", "-C", str(other)], input=archive.stdout, check=True)
        for corpus in [ROOT / "corpus", *corpora]:
            bundled = corpus == ROOT / "corpus"
            mine = outputs(ROOT / "src", corpus, Path(tmp), bundled)
            theirs = outputs(other / "src", corpus, Path(tmp), bundled)
            for name in mine:
                same = mine[name] == theirs[name]
                print(f"{corpus}: {name}: {'identical' if same else 'DIFFERS'} "
                      f"({len(mine[name]):,} bytes)")  # fmt: skip
                if not same:
                    differ.append(f"{corpus} {name}")
    if differ:
        print("differs from", args.against + ":", ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
