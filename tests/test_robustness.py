"""Bad input, faults and hostile files, through the real CLI (in process and as real processes)."""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lrkb
from lrkb.chunking import chunk
from lrkb.cli import cli
from lrkb.corpus import load_document
from lrkb.errors import LrkbError
from lrkb.importer import import_text
from lrkb.store import FORMAT_VERSION

LRKB = [sys.executable, "-m", "lrkb"]


def lrkb_process(corpus: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """lrkb as a real process on `corpus`."""
    return subprocess.run(
        [*LRKB, "--corpus", str(corpus), *args], capture_output=True, text=True, timeout=120
    )


def run(corpus: Path | str, *args: str, code: int = 2) -> str:
    result = CliRunner().invoke(cli, ["--corpus", str(corpus), *args])
    assert result.exit_code == code, (result.output, result.exception)
    assert "Traceback" not in result.output
    if code == 2:
        errors = [
            ln for ln in result.output.splitlines() if ln.startswith(("lrkb: error:", "Error:"))
        ]
        assert len(errors) == 1, result.output
    return result.output


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "the question is empty"),
        ("   \t\n ", "the question is empty"),
        ("x" * 1_000_000, "question is too long: 1000000 characters"),
        ("\x00\x07\x1b", "the question is empty"),
    ],
)
def test_bad_questions(tiny_corpus: Path, question: str, message: str) -> None:
    assert message in run(tiny_corpus, "ask", question)
    assert message in run(tiny_corpus, "search", question)


def test_control_characters_and_mixed_scripts_are_answered(tiny_corpus: Path) -> None:
    out = run(tiny_corpus, "ask", "lactic\x1b[31m acid\x00 recovery", code=0)
    assert "\x1b" not in out and "[31m" not in out and "[1]" in out
    out = run(tiny_corpus, "ask", "Молочная кислота 乳酸 \x1b[2J", code=1)
    assert "Nothing in this corpus answers 'Молочная кислота 乳酸'" in out


@pytest.mark.parametrize("k", ["0", "-1", "100000"])
def test_bad_k(tiny_corpus: Path, k: str) -> None:
    assert "Invalid value for '-k'" in run(tiny_corpus, "search", "water", "-k", k)


def test_add_bad_files(tiny_corpus: Path, tmp_path: Path) -> None:
    cases: list[tuple[Path, str]] = []
    cases.append((tmp_path / "missing.txt", "no such file"))
    (tmp_path / "dir.md").mkdir()
    cases.append((tmp_path / "dir.md", "has no article files"))
    (tmp_path / "empty.txt").write_text("")
    cases.append((tmp_path / "empty.txt", "is empty"))
    (tmp_path / "blank.md").write_text("\n \n")
    cases.append((tmp_path / "blank.md", "is empty"))
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    cases.append((tmp_path / "bin.txt", "is a binary file"))
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    cases.append((tmp_path / "latin1.txt", "is not UTF-8"))
    (tmp_path / "fm.md").write_text("---\nid: x\nthis is not a key value\n---\n# T\n\nText.\n")
    cases.append((tmp_path / "fm.md", "invalid YAML in front matter at line 3"))
    (tmp_path / "open.md").write_text("---\nid: x\n# T\n")
    cases.append((tmp_path / "open.md", "front matter is not closed"))
    for path, message in cases:
        assert message in run(tiny_corpus, "add", str(path)), path
    assert sorted(p.name for p in tiny_corpus.glob("*.md")) == ["jog-helps.md", "jog-hurts.md"]


@pytest.mark.parametrize("bad_id", ["../../x", "a/b", "UPPER", "", "x" * 81, "-lead"])
def test_add_refuses_unsafe_ids(tiny_corpus: Path, tmp_path: Path, bad_id: str) -> None:
    article = tmp_path / "a.md"
    article.write_text("# Title\n\nSome text.\n")
    assert "invalid source id" in run(tiny_corpus, "add", str(article), "--id", bad_id)
    assert not (tmp_path / "x.md").exists() and not (tiny_corpus.parent / "x.md").exists()


def test_add_refuses_duplicate_id_and_keeps_the_original(tiny_corpus: Path, tmp_path: Path) -> None:
    before = (tiny_corpus / "jog-helps.md").read_text()
    article = tmp_path / "a.md"
    article.write_text("# Other\n\nOther text.\n")
    assert "exists already" in run(tiny_corpus, "add", str(article), "--id", "jog-helps")
    assert (tiny_corpus / "jog-helps.md").read_text() == before


def test_bad_corpus_paths(tmp_path: Path) -> None:
    assert "corpus directory not found" in run(tmp_path / "nope", "sources")
    (tmp_path / "file").write_text("x")
    assert "corpus path is a file" in run(tmp_path / "file", "sources")
    (tmp_path / "empty").mkdir()
    assert "has no articles" in run(tmp_path / "empty", "ask", "water")


def test_bad_curation_file(tiny_corpus: Path) -> None:
    (tiny_corpus / "curation.toml").write_text("[[veto]\n")
    assert "curation.toml: invalid TOML" in run(tiny_corpus, "conflicts")
    (tiny_corpus / "curation.toml").write_text(
        '[[claim]]\nsource = "jog-helps"\nquote = "made up words"\nreason = "r"\n'
    )
    assert "quote not found in jog-helps.md: 'made up words'" in run(tiny_corpus, "ask", "water")


def test_unknown_ids(tiny_corpus: Path) -> None:
    assert "no passage with id 'jog-helps:000000'" in run(tiny_corpus, "show", "jog-helps:000000")
    assert "no source with id 'nope'" in run(tiny_corpus, "claims", "--source", "nope")
    assert "no issue with id 'nope'" in run(tiny_corpus, "conflicts", "--issue", "nope")


# --- faults -------------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "old-format"])
def test_damaged_index_is_rebuilt_and_reported(tiny_corpus: Path, damage: str) -> None:
    expected = run(tiny_corpus, "search", "lactic acid", "--json", code=0)
    pack = tiny_corpus / ".lrkb" / "index.pack"
    raw = bytearray(pack.read_bytes())
    if damage == "truncate":
        pack.write_bytes(bytes(raw[: len(raw) // 3]))
    elif damage == "flip":
        raw[-10] ^= 0xFF
        pack.write_bytes(bytes(raw))
    elif damage == "garbage":
        pack.write_bytes(os.urandom(4096))
    else:
        current = f'"format": {FORMAT_VERSION}'.encode()
        assert current in raw
        pack.write_bytes(bytes(raw).replace(current, b'"format": 0', 1))
    result = lrkb_process(tiny_corpus, "search", "lactic acid", "--json")
    assert result.returncode == 0
    assert "rebuilding" in result.stderr
    assert result.stdout == expected


def test_pickle_payload_in_the_cache_is_never_executed(tiny_corpus: Path, tmp_path: Path) -> None:
    run(tiny_corpus, "search", "water", code=0)
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    for name in ("index.pack", "index.npz", "index.pkl"):
        (tiny_corpus / ".lrkb" / name).write_bytes(pickle.dumps(Payload()))
    result = lrkb_process(tiny_corpus, "ask", "lactic acid")
    assert result.returncode == 0 and "[1]" in result.stdout
    assert "rebuilding" in result.stderr
    assert not marker.exists()


def test_read_only_corpus_uses_the_user_cache(
    tiny_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode)
    )
    kb = lrkb.open(tiny_corpus)
    assert kb.search("water")
    assert not (tiny_corpus / ".lrkb").exists()
    assert list((tmp_path / "cache" / "lrkb").glob("*/index.pack"))


def _big_article(path: Path, paragraphs: int) -> None:
    text = ["Big Article About Running", ""]
    for i in range(paragraphs):
        text += [
            f"Section {i} On Recovery",
            "",
            f"Paragraph {i}: a light jog helps recovery and lactic acid clearance {i}. " * 6,
            "",
        ]
    path.write_text("\n".join(text))


def _check_consistent(corpus: Path) -> None:
    """Every article parses and a search answers: nothing was left half-written."""
    for md in corpus.glob("*.md"):
        load_document(md)
    result = lrkb_process(corpus, "search", "jog", "--json")
    assert result.returncode == 0, result.stderr


def test_killing_add_mid_write_leaves_old_or_new(tiny_corpus: Path, tmp_path: Path) -> None:
    run(tiny_corpus, "search", "water", code=0)
    article = tmp_path / "big.txt"
    _big_article(article, 600)
    for delay in (0.3, 0.6, 0.9):
        proc = subprocess.Popen(
            [
                *LRKB,
                "--corpus",
                str(tiny_corpus),
                "add",
                str(article),
                "--id",
                f"big-{int(delay * 10)}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        target = tiny_corpus / f"big-{int(delay * 10)}.md"
        if target.exists():  # written whole, or not at all
            assert target.read_text().rstrip().endswith("clearance 599.")
        assert not [p for p in tiny_corpus.glob("*.md") if p.name.startswith(".")]
        _check_consistent(tiny_corpus)


def test_concurrent_adds_both_land_and_readers_never_break(
    tiny_corpus: Path, tmp_path: Path
) -> None:
    run(tiny_corpus, "search", "water", code=0)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    _big_article(a, 200)
    b.write_text("Swimming After Leg Day\n\nSwimming is gentle on sore legs and aids recovery.\n")
    adds = [
        subprocess.Popen(
            [*LRKB, "--corpus", str(tiny_corpus), "add", str(p), "--id", p.stem],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for p in (a, b)
    ]
    while any(p.poll() is None for p in adds):
        reader = lrkb_process(tiny_corpus, "search", "water", "--json")
        assert reader.returncode == 0, reader.stderr
    assert [p.returncode for p in adds] == [0, 0], [p.communicate() for p in adds]
    kb = lrkb.open(tiny_corpus)
    assert {"a", "b"} <= {s.id for s in kb.sources}
    assert kb.search("swimming gentle")[0].source == "b"


# --- hostile files ------------------------------------------------------------------------------


def test_article_html_and_terminal_escapes_are_inert(tiny_corpus: Path) -> None:
    (tiny_corpus / "hostile.md").write_text(
        "# Hostile \x1b]0;owned\x07Title\n\n## Evil\n\nLactic acid <script>alert(1)</script> and "
        "<b>bold</b> text \x1b[2J\x1b[31mred\x1b[0m with a bell\x07 here.\n"
    )
    out = run(tiny_corpus, "search", "lactic acid script", code=0)
    assert "\x1b" not in out and "\x07" not in out
    assert "<script>alert(1)</script>" in out  # shown as text, never interpreted
    out = run(tiny_corpus, "sources", code=0)
    assert "\x1b" not in out


def test_pathological_markdown_is_parsed_in_bounded_time(tmp_path: Path) -> None:
    # Run in a child process with a hard bound, so a hang fails the test instead of the suite.
    script = (
        "from lrkb.chunking import chunk\n"
        "cases = ['>' * 20000 + ' deep', '- ' * 5000 + 'nested', '[' * 50000, '*a' * 50000,\n"
        "         'word ' * 200000, '\\n'.join(f'- item {i}' for i in range(10000)),\n"
        "         '`' * 30000, '<' * 50000 + 'x']\n"
        "for text in cases:\n"
        "    assert isinstance(chunk('# T\\n\\n' + text, 'x'), list)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=90
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


# --- properties ---------------------------------------------------------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=600)
_lines = st.lists(
    st.one_of(
        _text,
        st.sampled_from(
            [
                "",
                "# H",
                "## Heading Two",
                "- item",
                "1. one",
                "  • bullet",
                "> quote",
                "```",
                "Leave a Reply",
                "a | b | c",
                "Title Case Line",
                "A sentence. Another one!",
                "<div>html</div>",
                "&amp; &copy;",
            ]
        ),
    ),
    max_size=40,
)


def _check_passages(source: str, body_start: int = 0) -> None:
    passages = chunk(source, "doc", body_start, source.count("\n", 0, body_start))
    ids = [p.id for p in passages]
    assert len(ids) == len(set(ids))
    line_starts = [0] + [m.end() for m in re.finditer("\r\n|\r|\n", source)]
    for p in passages:
        assert 0 <= p.start < p.end <= len(source)
        assert p.start == line_starts[p.line_start - 1]
        assert p.line_start <= p.line_end
        assert source[p.start : p.end].strip()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_lines)
def test_importer_and_chunker_spans_map_back(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        imported = import_text(text)
    except LrkbError:
        return
    _check_passages(imported.markdown)
    _check_passages(text)
    front = "---\nid: doc\n---\n"
    _check_passages(front + imported.markdown, len(front))


def test_pack_missing_arrays_is_rebuilt(tiny_corpus: Path) -> None:
    from lrkb.store import read_pack, write_pack

    expected = run(tiny_corpus, "search", "lactic acid", "--json", code=0)
    path = tiny_corpus / ".lrkb" / "index.pack"
    pack = read_pack(path)
    write_pack(path, pack.meta, {k: v for k, v in pack.arrays.items() if k != "terms"})
    result = lrkb_process(tiny_corpus, "search", "lactic acid", "--json")
    assert result.returncode == 0 and "lacks terms; rebuilding" in result.stderr
    assert result.stdout == expected


def test_corpus_that_only_looks_writable_falls_back_to_the_user_cache(
    tiny_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root, os.access says yes even on a read-only mount; the write itself then fails.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args: object, **kwargs: object) -> None:
        if self == tiny_corpus / ".lrkb":
            raise PermissionError(13, "Read-only file system", str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", mkdir)
    assert lrkb.open(tiny_corpus).search("water")[0].source in {"jog-helps", "jog-hurts"}
    assert list((tmp_path / "cache" / "lrkb").glob("*/index.pack"))


def test_build_needs_no_descriptor_per_article(tmp_path: Path) -> None:
    # A map keeps its file descriptor open; a corpus of more articles than the open-files limit
    # (1024 on many desktops) must still build. Here: 120 articles under a limit of 64.
    corpus = tmp_path / "many"
    corpus.mkdir()
    for n in range(120):
        (corpus / f"a{n:03d}.md").write_text(
            f"# Article {n}\n\nA light jog number {n} helps recovery.\n"
        )
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))\n"
        "import lrkb\n"
        f"kb = lrkb.open({str(corpus)!r})\n"
        "print(len(kb.sources), kb.search('jog number 77')[0].source)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["120", "a077"]
