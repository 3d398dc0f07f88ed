from pathlib import Path

from lrkb.importer import import_text

SEEDS_LIKE = """Can You Run After Leg Day? (Our Answer)

Intro paragraph about running after leg day. It has two sentences.

Pros of Running After Leg Day

1. It burns off fat reserves.

Cardio complements leg day by burning fat.

running after leg day reddit | running before leg day | running before workout is good or bad
One of the main pros of running is recovery.

Some options:

  • Swimming
  • Rowing

Disclosure: Some of the links on this website are affiliate links, which means I may earn a commission.

Leave a Reply

Your email address will not be published. Required fields are marked *
"""


def test_import_finds_title_headings_and_lists() -> None:
    result = import_text(SEEDS_LIKE)
    assert result.title == "Can You Run After Leg Day? (Our Answer)"
    assert result.markdown == (
        "# Can You Run After Leg Day? (Our Answer)\n\n"
        "Intro paragraph about running after leg day. It has two sentences.\n\n"
        "## Pros of Running After Leg Day\n\n"
        "### It burns off fat reserves\n\n"
        "Cardio complements leg day by burning fat.\n\n"
        "Some options:\n\n"
        "- Swimming\n- Rowing\n"
    )


def test_import_reports_every_dropped_line_with_reason() -> None:
    dropped = {(d.line, d.reason) for d in import_text(SEEDS_LIKE).dropped}
    assert dropped == {
        (11, "SEO keyword line"),
        (12, "image caption (follows an SEO keyword line)"),
        (19, "affiliate disclosure"),
        (21, "comment form"),
        (23, "comment form"),
    }


def test_import_joins_hard_wrapped_paragraphs() -> None:
    text = (
        "A Wrapped Article\n\n"
        "This paragraph was wrapped at a fixed width by the person who saved it, so\n"
        "its sentences run over several lines that all belong to one paragraph of\n"
        "text and must be joined back together by the importer before chunking it.\n\n"
        "Second paragraph is here and it is also long enough to look like wrapped\n"
        "prose rather than a heading line of a web page copied as plain text ok.\n"
    )
    md = import_text(text).markdown
    assert md.count("\n\n") == 2
    assert "so its sentences run" in md


def test_import_escapes_text_that_would_read_as_markdown() -> None:
    md = import_text("Title Here\n\n# not a heading, just a hash sign in text.\n").markdown
    assert "\\# not a heading" in md


def test_import_of_every_seed_keeps_the_author_text(tmp_path: Path) -> None:
    # The project's corpus was made by this importer; its files keep every content paragraph.
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    text = (corpus / "concurrent-training-interference.md").read_text(encoding="utf-8")
    assert "known as concurrent training, is the physiological “interference effect.”" in text
    assert "## The Conflict Between Endurance and Strength Training" in text


WEB_COPY = """Should You Do Cardio After Leg Day?

Posted on March 3, 2024 by Coach Dana
Table of Contents
Why Legs Get Sore
Bottom Line

Share this:
Facebook
Twitter

Why Legs Get Sore

Published research by the American College of Sports Medicine says soreness peaks at 48 hours.

Bottom Line

Rest if you want to grow.
Related Posts
Best Leg Day Split for Beginners
Read more
This sentence is the author's own text and must be kept, because it is prose.
"""


def test_import_drops_navigation_blocks_but_keeps_prose() -> None:
    result = import_text(WEB_COPY)
    assert result.markdown == (
        "# Should You Do Cardio After Leg Day?\n\n"
        "## Why Legs Get Sore\n\n"
        "Published research by the American College of Sports Medicine says soreness peaks at "
        "48 hours.\n\n"
        "## Bottom Line\n\n"
        "Rest if you want to grow.\n\n"
        "This sentence is the author's own text and must be kept, because it is prose.\n"
    )
    assert [(d.line, d.reason) for d in result.dropped] == [
        (3, "byline"),
        (4, "table of contents"),
        (5, "table of contents"),
        (6, "table of contents"),
        (8, "share links"),
        (9, "share links"),
        (10, "share links"),
        (19, "related posts"),
        (20, "related posts"),
        (21, "related posts"),
    ]
