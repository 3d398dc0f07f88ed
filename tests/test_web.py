"""The web face in-process (Starlette's TestClient) and `lrkb serve` as a real subprocess: pages,
the JSON API against the CLI's JSON, errors, escaping, headers, and following `lrkb add`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from starlette.testclient import TestClient

from lrkb import KnowledgeBase
from lrkb.cli import cli
from lrkb.web import create_app
from lrkb.web.render import article, highlight

from .conftest import serving, write_article

QUESTION = "does running kill gains"
HOSTILE = (
    "Running after squats is fine for most lifters, says this hostile page.\n\n"
    "<script>window.pwned = 1; alert('pwned')</script>\n\n"
    '<img src="x" onerror="window.pwned = 2">\n\n'
    "A [trap](javascript:window.pwned=3) link and **bold <b>tags</b>** in running text.\n"
)


@pytest.fixture(scope="module")
def client(real_corpus: Path) -> TestClient:
    return TestClient(create_app(real_corpus), raise_server_exceptions=False)


def cli_json(corpus: Path, *args: str) -> object:
    result = CliRunner().invoke(cli, ["--corpus", str(corpus), *args, "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_ask_page_shows_verdict_meter_citations_and_conflicts(client: TestClient) -> None:
    response = client.get("/", params={"q": QUESTION})
    assert response.status_code == 200
    html = response.text
    data = client.get("/api/ask", params={"q": QUESTION}).json()
    assert data["verdict"] and data["conflicts"]
    assert unescape(data["verdict"]["summary"]) in text_of(html)
    assert '<div class="meter">' in html and "<rect" in html
    # every hit is cited with a link to its span in the article, and matched words are marked
    for hit in data["hits"]:
        assert f"/sources/{hit['source']}?start={hit['start']}&amp;end={hit['end']}#quote" in html
    assert len(data["hits"]) >= 2
    assert re.search(r"<mark>running</mark>", html, re.IGNORECASE)
    assert html.count('class="conflict"') == len(data["conflicts"])
    assert 'class="sides"' in html


def test_home_without_question_offers_the_issues(client: TestClient) -> None:
    html = client.get("/").text
    issues = cli_json_issues(client)
    assert issues and all(unescape(q) in unescape(html) for q in issues)


def cli_json_issues(client: TestClient) -> list[str]:
    return [i["question"] for i in client.get("/api/claims").json()["issues"]]


def test_ask_page_abstains_plainly(client: TestClient) -> None:
    response = client.get("/", params={"q": "how do I renew my passport"})
    assert response.status_code == 200
    assert "Nothing in this corpus answers" in response.text
    assert 'class="hit"' not in response.text


@pytest.mark.parametrize(
    ("url", "args"),
    [
        (
            "/api/ask?q=is+a+light+jog+good+for+recovery&k=3",
            ["ask", "is a light jog good for recovery", "-k", "3"],
        ),
        ("/api/ask?q=how+do+I+renew+my+passport", ["ask", "how do I renew my passport"]),
        ("/api/search?q=interference+effect&k=2", ["search", "interference effect", "-k", "2"]),
        ("/api/conflicts", ["conflicts"]),
        ("/api/conflicts?issue=running-recovery", ["conflicts", "--issue", "running-recovery"]),
        ("/api/sources", ["sources"]),
        ("/api/claims?issue=running-soreness", ["claims", "--issue", "running-soreness"]),
    ],
)
def test_api_returns_exactly_the_cli_json(
    client: TestClient, real_corpus: Path, url: str, args: list[str]
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == cli_json(real_corpus, *args)


def test_api_passage_is_show_json(client: TestClient, real_corpus: Path) -> None:
    pid = client.get("/api/search?q=sprint&k=1").json()["hits"][0]["id"]
    assert client.get(f"/api/passages/{pid}?n=2").json() == cli_json(
        real_corpus, "show", pid, "-n", "2"
    )


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/ask?q=" + "x" * 2001, 400, "question is too long: 2001 characters"),
        ("/api/ask?q=", 400, "the question is empty"),
        ("/api/ask?q=sprint&k=0", 400, "k must be between 1 and 1000, got 0"),
        ("/api/search?q=sprint&k=lots", 400, "k must be a whole number, got 'lots'"),
        ("/api/passages/no-such:thing", 404, "no passage with id 'no-such:thing'"),
        ("/api/conflicts?issue=bogus", 404, "no issue with id 'bogus'"),
        ("/api/nothing-here", 404, "no such page"),
    ],
)
def test_api_errors_are_json_with_the_cli_message(
    client: TestClient, url: str, status: int, message: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert message in response.json()["error"]


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/?q=" + "x" * 2500, 400, "question is too long"),
        ("/?q=sprint&k=-3", 400, "k must be between 1 and 1000"),
        ("/sources/no-such-source", 404, "no source with id"),
        (
            "/sources/concurrent-training-interference?start=abc",
            400,
            "start must be a whole number",
        ),
        ("/conflicts?issue=bogus", 404, "no issue with id"),
    ],
)
def test_pages_show_errors_without_a_traceback(
    client: TestClient, url: str, status: int, message: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert message in unescape(response.text)
    assert "Traceback" not in response.text and "File " not in response.text


def test_nothing_changes_the_corpus(client: TestClient) -> None:
    for url in ("/", "/api/ask", "/api/sources", "/sources/x"):
        assert client.post(url, data={"q": "x"}).status_code == 405


def test_every_response_carries_a_content_security_policy(client: TestClient) -> None:
    for url in ("/", "/conflicts", "/api/sources", "/api/passages/none", "/static/style.css"):
        policy = client.get(url).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy


def test_article_page_anchors_every_passage_and_marks_the_quoted_span(
    client: TestClient, real_corpus: Path
) -> None:
    claim = cli_json(real_corpus, "conflicts")["conflicts"][0]["a"]  # type: ignore[index]
    passages = cli_json(real_corpus, "passages", "--source", claim["source"])["passages"]  # type: ignore[index]
    html = client.get(
        f"/sources/{claim['source']}", params={"start": claim["start"], "end": claim["end"]}
    ).text
    for p in passages:
        assert f'id="{p["id"]}"' in html
    marked = re.findall(r"<mark[^>]*>(.*?)</mark>", html, re.DOTALL)
    assert 'id="quote"' in html
    assert " ".join(text_of(" ".join(marked)).split()) in " ".join(claim["text"].split())
    assert len(" ".join(marked)) >= len(claim["text"]) * 0.8


def test_a_span_across_bold_text_keeps_the_tags_nested() -> None:
    text = "# T\n\nSome **very bold** words here.\n"
    html = str(article(text, 0, [], (text.index("very"), text.index(" here"))))
    assert "<strong><mark" in html and "</mark></strong><mark> words</mark> here" in html
    assert "\ue000" not in html and "\ue001" not in html


def test_a_span_starting_at_a_list_marker_keeps_the_list() -> None:
    text = "- first item\n- second item\n"
    html = str(article(text, 0, [], (0, len(text) - 1)))
    assert "<ul>" in html and html.count("<li>") == 2 and '<mark id="quote">first item' in html


def test_highlight_escapes_what_it_marks() -> None:
    assert str(highlight("a <b> c\n\nd", [(2, 5)])) == "<p>a <mark>&lt;b&gt;</mark> c</p><p>d</p>"


def test_a_hostile_article_is_shown_as_text(tmp_path: Path) -> None:
    write_article(tmp_path, "hostile", "Hostile Page", HOSTILE)
    client = TestClient(create_app(tmp_path))
    page = client.get("/sources/hostile").text
    assert "&lt;script&gt;window.pwned" in page and "<script>window" not in page
    assert "&lt;img" in page and "<img" not in page
    assert 'href="javascript:' not in page  # markdown-it refuses the link
    answer = client.get("/", params={"q": "running after squats"}).text
    assert "Hostile Page" in answer and "<script>window" not in answer


def test_the_server_follows_lrkb_add_from_another_process(
    tiny_corpus: Path, tmp_path: Path
) -> None:
    client = TestClient(create_app(tiny_corpus))
    assert client.get("/api/search", params={"q": "swimming laps"}).json()["hits"] == []
    new = tmp_path / "swim.txt"
    new.write_text("Swimming Between Leg Days\n\nEasy swimming laps loosen sore legs.\n")
    subprocess.run(
        [sys.executable, "-m", "lrkb", "--corpus", str(tiny_corpus), "add", str(new)], check=True
    )
    hits = client.get("/api/search", params={"q": "swimming laps"}).json()["hits"]
    assert [h["source"] for h in hits] == ["swimming-between-leg-days"]
    assert "swimming-between-leg-days" in client.get("/sources").text


def test_lrkb_serve_answers_over_http(tiny_corpus: Path) -> None:
    with serving(tiny_corpus) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "api/search?q=jog") as response:
            assert json.load(response)["hits"][0]["source"] == "jog-helps"
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(url + "api/search?q=jog&k=5000")
        assert caught.value.code == 400
        assert "k must be between" in json.load(caught.value)["error"]
        # a page elsewhere that rebinds its DNS name to 127.0.0.1 is refused
        rebound = urllib.request.Request(url + "api/sources", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(rebound)
        assert caught.value.code == 400


def test_serve_warns_when_listening_beyond_this_machine(tiny_corpus: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lrkb",
            "--corpus",
            str(tiny_corpus),
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        assert "warning: listening on 0.0.0.0" in first
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_on_a_busy_port_is_a_one_line_error(tiny_corpus: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["--corpus", str(tiny_corpus), "serve", "--port", str(port)]
        )
    assert result.exit_code == 2
    assert "lrkb: error:" in result.output and "in use" in result.output


def test_serve_without_the_web_extra_says_what_to_install(
    tiny_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a)
    )
    result = CliRunner().invoke(cli, ["--corpus", str(tiny_corpus), "serve"])
    assert result.exit_code == 2
    assert (
        result.output.strip() == "lrkb: error: `lrkb serve` needs uvicorn: pip install 'lrkb[web]'"
    )


def test_the_bottom_line_leads_the_page_and_the_json(real_corpus: Path) -> None:
    """`Answer.bottom_line` (exact, located quotes) is in the JSON and at the top of the page."""
    from lrkb.models import Quote

    client = TestClient(create_app(real_corpus))
    data = client.get("/api/ask", params={"q": QUESTION}).json()
    assert 2 <= len(data["bottom_line"]) <= 3
    assert set(data["bottom_line"][0]) == set(Quote.__dataclass_fields__)
    html = client.get("/", params={"q": QUESTION}).text
    quotes = html.split('<div class="bottom-quotes">')[1].split("</div>")[0]
    for q in data["bottom_line"]:
        assert escape(q["text"]) in quotes
        assert f"/sources/{q['source']}?start={q['start']}&amp;end={q['end']}#quote" in quotes


def test_the_page_marks_the_words_the_answer_matched(
    client: TestClient, real_kb: KnowledgeBase
) -> None:
    """The page marks, in every passage, the words the answer's snippets matched (the terminal
    marks the same words in the sentences it shows): the question's stems and synonyms."""
    answer = real_kb.ask(QUESTION)
    html = client.get("/", params={"q": QUESTION}).text
    hits = html.split('<div class="text">')[1:]
    assert len(hits) == len(answer.hits)
    marked = [
        unescape(m) for h in hits for m in re.findall(r"<mark>(.*?)</mark>", h.split("</div>")[0])
    ]
    expected = [
        h.text[a:b] for h, s in zip(answer.hits, answer.snippets, strict=True) for a, b in s.matched
    ]
    assert marked == expected
    # "compromise", "hinder" and "hypertrophy" share synonym groups with "kill" and "gains"
    assert {"running", "gains", "hypertrophy"} <= {m.lower() for m in marked}
    assert {"compromise", "hinder"} & {m.lower() for m in marked}


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("ab <>&\"'*_-#>`[]()!\n:/\\1.\ue000\ue001"), max_size=120),
    st.integers(0, 130),
    st.integers(0, 130),
)
def test_any_markdown_and_span_render_escaped(text: str, start: int, end: int) -> None:
    """Whatever the article holds and whatever span a link names: no raw tag, no marker, no crash."""
    html = str(article(text, 0, [], (start, end)))
    assert "\ue000" not in html and "\ue001" not in html
    assert (
        re.search(
            r"<(?!/?(?:p|h[1-6]|ul|ol|li|em|strong|code|pre|blockquote|hr|br|a|mark|img)\b)", html
        )
        is None
    )
    assert html.count("<mark") == html.count("</mark>")


@st.composite
def markdown_and_span(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(st.text(alphabet=st.sampled_from("ab *_-#>\n.1)+"), min_size=1, max_size=80))
    start = draw(st.integers(0, len(text) - 1))
    return text, start, draw(st.integers(start + 1, len(text)))


@settings(max_examples=80, deadline=None)
@given(markdown_and_span())
def test_a_span_over_words_is_always_marked(case: tuple[str, int, int]) -> None:
    """Whatever Markdown surrounds them, the words a link names are highlighted."""
    text, start, end = case
    html = str(article(text, 0, [], (start, end)))
    assert html.count("<mark") == html.count("</mark>")
    words = re.findall("[ab]+", text[start:end])
    if words:
        marked = "".join(re.findall(r"<mark[^>]*>(.*?)</mark>", html, re.DOTALL))
        assert '<mark id="quote">' in html and "".join(words) in "".join(
            re.findall("[ab]+", marked)
        )
