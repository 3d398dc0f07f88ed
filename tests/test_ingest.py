"""Importing real documents: saved web pages, PDFs, notes with YAML front matter, many files at
once, remove and replace, and --tag filters. PDFs are generated here with fpdf2 and pypdf."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import lrkb
from lrkb.chunking import chunk
from lrkb.cli import cli
from lrkb.corpus import format_front_matter, parse_front_matter
from lrkb.errors import CorpusError, CurationError, InputError, NotFoundError

DATA = Path(__file__).parent / "data"
HEADER = "Journal of Running Science 12 (2024)"


def run(corpus: Path, *args: str, code: int = 0, stdin: str | None = None) -> str:
    result = CliRunner().invoke(cli, ["--corpus", str(corpus), *args], input=stdin)
    assert result.exit_code == code, (result.output, result.exception)
    assert "Traceback" not in result.output
    return result.output


def articles(corpus: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.md"))}


def two_page_pdf(title: str | None = "Running After Leg Day: A Review") -> bytes:
    """Two pages of text with a running header, a page-number footer, a word hyphenated at a
    line end, and a paragraph that runs over the page break."""
    from fpdf import FPDF

    class Paper(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 8, HEADER, align="C", new_x="LMARGIN", new_y="NEXT")

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 10, f"Page {self.page_no()}", align="C")

    pdf = Paper()
    if title:
        pdf.set_title(title)
    pdf.set_author("A. Researcher")
    pdf.add_page()
    pdf.set_font("Helvetica", size=16)
    pdf.cell(0, 10, "Running After Leg Day: A Review", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        0,
        6,
        "Running on the day after heavy squats slows the recov-\n"
        "ery of the quadriceps in untrained lifters, and the effect\n"
        "fades after three weeks of regular training together.\n"
        "Methods\n"
        "Twelve lifters squatted five sets of five and ran for\n"
        "twenty minutes on the following morning at an easy pace\n"
        "and recorded how sore their legs felt before each run",
    )
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        0,
        6,
        "and again one day later.\n"
        "Results\n"
        "Easy running did not reduce the gains in muscle size over\n"
        "ten weeks, while sprint intervals on the same day did.\n"
        "- Keep runs easy after leg day.\n"
        "- Put sprints on another day.",
    )
    return bytes(pdf.output())


# --- HTML ------------------------------------------------------------------------------------


def test_html_page_keeps_the_article_and_leaves_out_the_rest(tiny_corpus: Path) -> None:
    kb = lrkb.open(tiny_corpus)
    added = kb.add(DATA / "page.html")
    text = added.path.read_text(encoding="utf-8")
    fields, body_start, _ = parse_front_matter(text, "page")
    assert fields["id"] == "should-you-run-after-leg-day"
    assert fields["title"] == "Should You Run After Leg Day?"
    assert fields["url"] == "https://stride.example/run-after-leg-day"
    assert added.source.meta == {
        "author": "Dana Okafor",
        "date": "2024-03-05",
        "site": "stride.example",
        "tags": ["running", "recovery"],
    }
    body = text[body_start:]
    assert body.startswith("\n# Should You Run After Leg Day?\n\nRunning after a heavy leg")
    assert "\n## What the research says\n" in body and "\n### What about sprints?\n" in body
    assert "\n- Keep runs after leg day easy and short.\n- Leave at least six hours" in body
    assert "\n1. Squat first, while your legs are fresh.\n2. Run on the following day" in body
    for noise in ("Home", "cookies", "tracking", "font-family", "Share on", "Great post", "©"):
        assert noise not in body, noise
    assert [d.reason for d in added.dropped] == ["affiliate disclosure"]
    hit = kb.search("sprints separate day from heavy squats", k=1)[0]
    assert (
        hit.source == added.source.id
        and hit.section == "What the research says > What about sprints?"
    )
    assert text[hit.start : hit.end] == hit.text and hit.page is None


def test_html_without_article_text_is_refused(tiny_corpus: Path, tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><head><script>x()</script></head><body><nav>Home</nav></body></html>")
    out = run(tiny_corpus, "add", str(page), code=2)
    assert "empty.html: no article text found" in out
    assert len(articles(tiny_corpus)) == 2


# --- PDF -------------------------------------------------------------------------------------


def test_two_page_pdf_is_cited_with_pages(tiny_corpus: Path, tmp_path: Path) -> None:
    paper = tmp_path / "paper.pdf"
    paper.write_bytes(two_page_pdf())
    kb = lrkb.open(tiny_corpus)
    added = kb.add(paper)
    text = added.path.read_text(encoding="utf-8")
    assert added.source.title == "Running After Leg Day: A Review"
    assert added.source.meta["author"] == "A. Researcher" and added.source.meta["pages"] == 2
    assert HEADER not in text and "Page 1" not in text  # running header and footer
    assert "slows the recovery of the quadriceps" in text  # "recov-" + "ery"
    assert "how sore their legs felt before each run and again one day later." in text
    assert {(d.page, d.reason) for d in added.dropped} == {
        (1, "running header or footer"),
        (2, "running header or footer"),
    }
    passages = [p for p in kb.passages if p.source == added.source.id]
    assert [(p.section, p.page) for p in passages] == [
        ("", 1),
        ("Methods", 1),  # it runs over the page break: the page it starts on
        ("Results", 2),
    ]
    for p in passages:
        assert "<!--" not in p.text and text[p.start : p.end].strip()
    hit = kb.search("sprint intervals muscle size", k=1)[0]
    assert hit.source == added.source.id and hit.page == 2
    assert text[hit.start : hit.end] == hit.text
    claims = kb.claims_for(source=added.source.id)
    assert claims and all(
        c.page == next(p.page for p in passages if p.id == c.passage) for c in claims
    )
    assert all(text[c.start : c.end] == c.text for c in claims)


def test_pdf_pages_in_cli_and_json(tiny_corpus: Path, tmp_path: Path) -> None:
    paper = tmp_path / "paper.pdf"
    paper.write_bytes(two_page_pdf())
    out = run(tiny_corpus, "add", str(paper))
    assert "added running-after-leg-day-a-review" in out
    assert f"dropped page 2 line 1 (running header or footer): {HEADER}" in out
    out = run(tiny_corpus, "search", "sprint intervals muscle size", "-k", "1")
    assert "score" in out and ", p. 2)" in out
    hit = json.loads(run(tiny_corpus, "search", "sprint intervals", "-k", "1", "--json"))["hits"][0]
    assert hit["page"] == 2
    other = json.loads(run(tiny_corpus, "search", "lactic acid", "-k", "1", "--json"))["hits"][0]
    assert other["page"] is None
    shown = run(tiny_corpus, "show", hit["id"], "-n", "0")
    assert ", p. 2" in shown


def test_page_markers_are_never_text_and_split_passages() -> None:
    md = "# T\n\n<!-- page 3 -->\n\nShort one.\n\n<!-- page 4 -->\n\nShort two.\n\n- a list\n"
    passages = chunk(md, "x")
    assert [(p.text, p.page) for p in passages] == [
        ("Short one.", 3),
        ("Short two.\n\n- a list", 4),
    ]
    assert [md[p.start : p.end] for p in passages] == ["Short one.", "Short two.\n\n- a list"]
    inline = chunk("Text with <!-- page 2 --> inside.\n", "x")
    assert inline[0].page is None and "<!-- page 2 -->" in inline[0].text


def test_pdf_without_metadata_title_takes_its_first_line(tiny_corpus: Path, tmp_path: Path) -> None:
    paper = tmp_path / "untitled.pdf"
    paper.write_bytes(two_page_pdf(title=None))
    added = lrkb.open(tiny_corpus).add(paper)
    assert added.source.title == "Running After Leg Day: A Review"


def _scanned_pdf() -> bytes:
    from fpdf import FPDF
    from PIL import Image

    picture = io.BytesIO()
    Image.new("L", (200, 280), 230).save(picture, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(picture, x=10, y=10, w=180)
    return bytes(pdf.output())


def _encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(two_page_pdf())))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("scan.pdf", _scanned_pdf, "scan.pdf: has no text layer (a scanned PDF?)"),
        ("locked.pdf", lambda: _encrypted_pdf("secret"), "locked.pdf: is an encrypted PDF"),
        ("cut.pdf", lambda: two_page_pdf()[:700], "cut.pdf: is a damaged PDF"),
        ("fake.pdf", lambda: b"just some text, not a PDF", "fake.pdf: is not a PDF"),
    ],
)
def test_bad_pdfs_get_one_line_and_nothing_is_written(
    tiny_corpus: Path, tmp_path: Path, name: str, make: object, message: str
) -> None:
    before = articles(tiny_corpus)
    path = tmp_path / name
    path.write_bytes(make())  # type: ignore[operator]
    out = run(tiny_corpus, "add", str(path), code=2)
    assert out.startswith("lrkb: error: ") and message in out and out.count("\n") == 1
    assert articles(tiny_corpus) == before


def test_pdf_encrypted_without_a_user_password_opens(tiny_corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "restricted.pdf"
    path.write_bytes(_encrypted_pdf(""))
    added = lrkb.open(tiny_corpus).add(path)
    assert added.source.passages == 3


# --- front matter ----------------------------------------------------------------------------

JEKYLL = """---
layout: post
title: "Leg Day, Then a Run?"
date: 2024-02-10 09:30:00 +0100
tags: running recovery
categories: [training]
author:
  name: Sam Lee
  twitter: samlee
---

A short easy run after squats helps recovery, but long runs blunt hypertrophy.
"""

OBSIDIAN = """---
aliases: [Leg day cardio]
tags:
  - running/easy
  - "#Sprints"
created: 2024-05-01
---

Sprinting the day after heavy squats hurts recovery and performance.
"""


HUGO = """+++
title = "Hugo Intervals"
date = 2024-01-02T10:00:00Z
draft = false
tags = ["running", "intervals"]
[params]
series = "cardio"
+++

Interval running the day after squats should wait until soreness eases.
"""


def test_jekyll_and_obsidian_notes_import_with_their_metadata(
    tiny_corpus: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "vault"
    notes.mkdir()
    (notes / "jekyll-post.md").write_text(JEKYLL, encoding="utf-8")
    (notes / "Sprint Notes.md").write_text(OBSIDIAN, encoding="utf-8")
    (notes / "hugo.md").write_text(HUGO, encoding="utf-8")
    (notes / ".obsidian").mkdir()
    (notes / ".obsidian" / "app.md").write_text("not a note", encoding="utf-8")
    (notes / "picture.png").write_bytes(b"\x89PNG\r\n")
    out = run(tiny_corpus, "add", str(notes))
    assert "added leg-day-then-a-run" in out and "added sprint-notes" in out
    assert "added hugo-intervals" in out
    assert "skipped 1 files of other types" in out
    sources = {s["id"]: s for s in json.loads(run(tiny_corpus, "sources", "--json"))["sources"]}
    assert sources["leg-day-then-a-run"]["meta"] == {
        "layout": "post",
        "date": "2024-02-10 09:30:00 +0100",  # not a YAML timestamp: kept as written
        "tags": "running recovery",
        "categories": ["training"],
        "author": {"name": "Sam Lee", "twitter": "samlee"},
    }
    assert sources["sprint-notes"]["title"] == "Sprint Notes"  # Obsidian: the file name
    assert sources["sprint-notes"]["meta"]["created"] == "2024-05-01"
    assert sources["jog-helps"]["meta"] == {}
    assert sources["hugo-intervals"]["meta"] == {
        "date": "2024-01-02T10:00:00+00:00",
        "draft": False,
        "tags": ["running", "intervals"],
        "params": {"series": "cardio"},
    }
    assert "    tags: running/easy, #Sprints" in run(tiny_corpus, "sources")
    # What lrkb wrote reads back as the same metadata.
    text = (tiny_corpus / "leg-day-then-a-run.md").read_text(encoding="utf-8")
    fields, _, _ = parse_front_matter(text, "x")
    assert fields["author"] == {"name": "Sam Lee", "twitter": "samlee"}


def test_tag_filters_search_ask_claims_and_conflicts(tiny_corpus: Path, tmp_path: Path) -> None:
    for name, text in (("jekyll.md", JEKYLL), ("obsidian.md", OBSIDIAN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    kb = lrkb.open(tiny_corpus)
    kb.add_all([tmp_path / "jekyll.md", tmp_path / "obsidian.md"])
    assert kb.tagged("RECOVERY") == {"leg-day-then-a-run"}  # Jekyll's space-separated string
    assert kb.tagged("running") == {"leg-day-then-a-run", "obsidian"}  # running/easy is under it
    assert kb.tagged("sprints") == {"obsidian"}
    assert {h.source for h in kb.search("recovery", k=10)} > {"leg-day-then-a-run"}
    assert {h.source for h in kb.search("recovery", k=10, tag="recovery")} == {"leg-day-then-a-run"}
    answer = kb.ask("does running after squats hurt recovery?", tag="sprints")
    assert {h.source for h in answer.hits} == {"obsidian"}
    assert {s.id for s in answer.sources} <= {"obsidian"}
    assert all(x.a.source == x.b.source == "obsidian" for x in answer.conflicts)
    assert {c.source for c in kb.claims_for(tag="running")} <= {"leg-day-then-a-run", "obsidian"}
    assert kb.claims_for(tag="running")
    assert all(
        {x.a.source, x.b.source} <= {"leg-day-then-a-run", "obsidian"}
        for x in kb.conflicts(tag="running")
    )
    with pytest.raises(NotFoundError, match="no source is tagged 'swimming'"):
        kb.search("recovery", tag="swimming")
    assert "no source is tagged" in run(tiny_corpus, "claims", "--tag", "swimming", code=2)
    out = json.loads(run(tiny_corpus, "search", "recovery", "--tag", "sprints", "--json"))
    assert {h["source"] for h in out["hits"]} == {"obsidian"}
    run(tiny_corpus, "conflicts", "--tag", "running")
    run(tiny_corpus, "ask", "does running hurt recovery", "--tag", "running")


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("title: [unclosed\n", "invalid YAML in front matter at line 2"),
        ("id: a\ntitle: 'open quote\n", "invalid YAML in front matter at line 3"),
        ("tags: [a, b]\n  bad: indent\n", "invalid YAML in front matter at line"),
        ("- just\n- a list\n", "front matter must be a mapping"),
        ("x: !!python/object/apply:os.system ['echo pwned']\n", "invalid YAML in front matter"),
        ("title: [a, b]\n", "'title' must be a single value"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                for p, c in zip("abcdefg", "bcdefgh", strict=True)
            ),
            "too large or too deeply nested",
        ),
    ],
)
def test_bad_front_matter_is_refused_with_file_and_line(
    tiny_corpus: Path, tmp_path: Path, front: str, message: str
) -> None:
    note = tmp_path / "note.md"
    note.write_text(f"---\n{front}---\n\n# Note\n\nText about running.\n", encoding="utf-8")
    out = run(tiny_corpus, "add", str(note), code=2)
    assert "note.md: " in out and message in out and out.count("\n") == 1
    assert len(articles(tiny_corpus)) == 2


def test_bad_front_matter_in_the_corpus_names_the_file(tiny_corpus: Path) -> None:
    (tiny_corpus / "broken.md").write_text("---\ntitle: [x\n---\n\nText.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"broken.md: invalid YAML in front matter at line 2"):
        lrkb.open(tiny_corpus).sources  # noqa: B018


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None)
@given(
    st.text(min_size=1, max_size=40),
    st.dictionaries(
        st.text(min_size=1, max_size=10).filter(lambda k: k not in ("id", "title", "url", "added")),
        _values,
        max_size=4,
    ),
)
def test_front_matter_lrkb_writes_is_yaml_that_round_trips(
    title: str, meta: dict[str, object]
) -> None:
    fields = {"id": "x", "title": title, **meta}
    text = format_front_matter(fields) + "\nBody.\n"
    read, body_start, _ = parse_front_matter(text, "t")
    assert read == {k: v for k, v in fields.items() if v is not None}
    assert text[body_start:] == "\nBody.\n"


# --- many files, all or nothing --------------------------------------------------------------


def test_directory_with_one_bad_file_adds_nothing(tiny_corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a-good.md").write_text("# Good One\n\nRowing is easy on the knees.\n")
    (folder / "b-page.html").write_bytes((DATA / "page.html").read_bytes())
    (folder / "c-bad.pdf").write_bytes(b"%PDF-1.4 truncated")
    (folder / "d-good.txt").write_text("Good Two\n\nCycling after squats is fine.\n")
    before = articles(tiny_corpus)
    out = run(tiny_corpus, "add", str(folder), code=2)
    assert "c-bad.pdf" in out and out.count("\n") == 1
    assert articles(tiny_corpus) == before
    (folder / "c-bad.pdf").unlink()
    out = run(tiny_corpus, "add", str(folder))
    assert out.count("added ") == 3
    assert len(articles(tiny_corpus)) == 5


def test_many_files_in_one_build_and_id_clash(tiny_corpus: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("# Same Title\n\nOne.\n")
    b.write_text("# Same Title\n\nTwo.\n")
    out = run(tiny_corpus, "add", str(a), str(b), code=2)
    assert "a.md and" in out and "would both get the id 'same-title'" in out
    assert "apply to one file" in run(tiny_corpus, "add", str(a), str(b), "--title", "X", code=2)
    b.write_text("# Other Title\n\nTwo.\n")
    data = json.loads(run(tiny_corpus, "add", str(a), str(b), "--json"))
    assert [x["source"]["id"] for x in data["added"]] == ["same-title", "other-title"]
    assert data["skipped"] == [] and "source" not in data
    single = json.loads(run(tiny_corpus, "add", str(tmp_path / "a.md"), "--id", "a3", "--json"))
    assert single["source"]["id"] == "a3" and single["added"][0]["replaced"] is False


def test_a_failed_build_restores_every_file(tiny_corpus: Path, tmp_path: Path) -> None:
    # The second file claims an id another article has in its front matter (a file not named
    # after it): the build refuses the duplicate, and neither new file stays.
    (tiny_corpus / "odd-name.md").write_text("---\nid: taken\n---\n\n# Taken\n\nText.\n")
    kb = lrkb.open(tiny_corpus)
    before = articles(tiny_corpus)
    new = tmp_path / "new.md"
    new.write_text("# Fresh\n\nFresh text.\n")
    clash = tmp_path / "clash.md"
    clash.write_text("---\nid: taken\n---\n\n# Clash\n\nClash text.\n")
    with pytest.raises(CorpusError, match="duplicate source id 'taken'"):
        kb.add_all([new, clash])
    assert articles(tiny_corpus) == before


# --- remove and replace ----------------------------------------------------------------------


def test_remove_needs_yes_without_a_terminal_and_follows_in_the_index(tiny_corpus: Path) -> None:
    out = run(tiny_corpus, "remove", "jog-hurts", code=2)
    assert out == "lrkb: error: not a terminal: confirm removing with --yes\n"
    assert (tiny_corpus / "jog-hurts.md").exists()
    assert "no source with id 'nope'" in run(tiny_corpus, "remove", "nope", "--yes", code=2)
    assert json.loads(run(tiny_corpus, "conflicts", "--json"))["conflicts"]
    out = run(tiny_corpus, "remove", "jog-hurts", "--yes")
    assert out.startswith("removed jog-hurts: Cardio Blunts Hypertrophy")
    assert not (tiny_corpus / "jog-hurts.md").exists()
    assert not list(tiny_corpus.glob(".*lrkb-old"))
    kb = lrkb.open(tiny_corpus)
    assert [s.id for s in kb.sources] == ["jog-helps"]
    assert all(h.source == "jog-helps" for h in kb.search("hypertrophy water", k=5))
    assert kb.conflicts() == []


def test_remove_asks_on_a_terminal(tiny_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lrkb import cli as cli_module

    monkeypatch.setattr(cli_module, "_terminal", lambda: True)
    result = CliRunner().invoke(
        cli, ["--corpus", str(tiny_corpus), "remove", "jog-hurts"], input="n\n"
    )
    assert result.exit_code == 1 and (tiny_corpus / "jog-hurts.md").exists()
    result = CliRunner().invoke(
        cli, ["--corpus", str(tiny_corpus), "remove", "jog-hurts"], input="y\n"
    )
    assert result.exit_code == 0 and not (tiny_corpus / "jog-hurts.md").exists()


def test_remove_refuses_while_curation_names_the_article(tiny_corpus: Path) -> None:
    (tiny_corpus / "curation.toml").write_text(
        "[[veto]]\n"
        'a = { source = "jog-helps", quote = "flush out lactic acid" }\n'
        'b = { source = "jog-hurts", quote = "suppress mTOR" }\n'
        'reason = "a test"\n',
        encoding="utf-8",
    )
    kb = lrkb.open(tiny_corpus)
    with pytest.raises(CurationError, match=r"\[\[veto\]\] 1: jog-hurts: 'suppress mTOR'"):
        kb.remove(["jog-hurts"])
    assert (tiny_corpus / "jog-hurts.md").exists()


def test_replace_updates_the_article_and_keeps_it_when_curation_breaks(
    tiny_corpus: Path, tmp_path: Path
) -> None:
    kb = lrkb.open(tiny_corpus)
    new = tmp_path / "jog.md"
    new.write_text("# Jogging Helps Recovery\n\nRowing machines are easy on the knees.\n")
    with pytest.raises(InputError, match=r"jog.md: a source with id 'jog-helps' exists already"):
        kb.add(new, source_id="jog-helps")
    added = kb.add(new, source_id="jog-helps", replace=True)
    assert added.replaced and kb.search("rowing knees")[0].source == "jog-helps"
    assert "lactic" not in (tiny_corpus / "jog-helps.md").read_text(encoding="utf-8")
    assert all(h.source != "jog-helps" for h in kb.search("lactic acid"))
    # A curated quote the new text lacks: the build fails and the old article stays.
    (tiny_corpus / "curation.toml").write_text(
        '[[claim]]\nsource = "jog-helps"\nquote = "Rowing machines"\nreason = "a test"\n',
        encoding="utf-8",
    )
    before = articles(tiny_corpus)
    other = tmp_path / "other.md"
    other.write_text("# Jogging Helps Recovery\n\nSomething else entirely.\n")
    out = run(tiny_corpus, "add", str(other), "--id", "jog-helps", "--replace", code=2)
    assert "curation.toml" in out and "Rowing machines" in out
    assert articles(tiny_corpus) == before
    assert not list(tiny_corpus.glob(".*lrkb-old"))


def test_pdf_reflow_joins_wrapped_lines_and_finds_headings() -> None:
    from lrkb.formats.pdf import _paragraphs

    wide = "x" * 60
    page = [
        (1, "1. Introduction"),
        (2, f"The first paragraph wraps here at a {wide}"),
        (3, "fixed width and its last line is short."),
        (4, "Results and Discussion"),
        (5, f"Easy running did not blunt hypertro- {wide}"),
        (6, "phy in this group at all."),
        (7, "• a bullet item"),
        (8, "1) a numbered item that runs on and on and on"),
    ]
    blocks = _paragraphs([page])
    assert [(b.kind, b.text[:24], b.line) for b in blocks] == [
        ("h2", "1. Introduction", 1),
        ("p", "The first paragraph wrap", 2),
        ("h2", "Results and Discussion", 4),
        ("p", "Easy running did not blu", 5),
        ("li", "a bullet item", 7),
        ("ol", "a numbered item that run", 8),
    ]
    assert blocks[1].text.endswith(f"{wide} fixed width and its last line is short.")
    assert "hypertro-" in blocks[3].text  # a hyphen before a space is not a line-end break


def test_remove_finds_an_article_whose_file_is_not_named_by_its_id(tiny_corpus: Path) -> None:
    (tiny_corpus / "odd-name.md").write_text("---\nid: taken\n---\n\n# Taken\n\nText.\n")
    assert [s.id for s in lrkb.open(tiny_corpus).remove(["taken"])] == ["taken"]
    assert not (tiny_corpus / "odd-name.md").exists()
    assert lrkb.open(tiny_corpus).remove(["jog-hurts"])[0].title == "Cardio Blunts Hypertrophy"


def test_format_is_found_by_content_when_the_name_misleads(
    tiny_corpus: Path, tmp_path: Path
) -> None:
    mislabelled = tmp_path / "paper.txt"
    mislabelled.write_bytes(two_page_pdf())
    saved = tmp_path / "saved-page"
    saved.write_bytes((DATA / "page.html").read_bytes())
    kb = lrkb.open(tiny_corpus)
    assert kb.add(mislabelled).source.meta["pages"] == 2
    assert kb.add(saved).source.title == "Should You Run After Leg Day?"


def test_sources_with_metadata_stay_hashable(tiny_corpus: Path) -> None:
    (tiny_corpus / "tagged.md").write_text("---\ntags: [a]\nextra: {x: 1}\n---\n\n# T\n\nText.\n")
    sources = lrkb.open(tiny_corpus).sources
    assert len(set(sources)) == 3 and sources[-1].meta == {"tags": ["a"], "extra": {"x": 1}}


def test_a_copy_left_by_an_interrupted_change_is_reported(
    tiny_corpus: Path, tmp_path: Path
) -> None:
    (tiny_corpus / ".gone.md.1a2b3c4d.lrkb-old").write_text("# Gone\n\nText.\n")
    told: list[str] = []
    kb = lrkb.open(tiny_corpus, notify=told.append)
    new = tmp_path / "new.md"
    new.write_text("# Fresh\n\nFresh text.\n")
    kb.add(new)
    assert told == [
        ".gone.md.1a2b3c4d.lrkb-old is an article left by an interrupted add or remove; "
        "rename it to gone.md to restore it, or delete it"
    ]


def test_many_files_report_progress(tiny_corpus: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for n in range(3):
        (notes / f"n{n}.md").write_text(f"# Note {n}\n\nRowing note number {n}.\n")
    seen: list[tuple[str, int, int]] = []
    kb = lrkb.KnowledgeBase(tiny_corpus, progress=lambda *a: seen.append(a))
    kb.add_all([notes])
    assert [s for s in seen if s[0] == "importing"] == [
        ("importing", 1, 3),
        ("importing", 2, 3),
        ("importing", 3, 3),
    ]
