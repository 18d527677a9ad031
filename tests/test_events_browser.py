"""The events page in headless Chromium (as tests/test_view_browser.py does for the briefs):
its script filters, each source links to its brief on index.html, the index pages (one page
and overview alike) link to it, and article text stays text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from summarizer.events import write_events
from summarizer.view import write_index

from .cli import run_cli
from .conftest import ROOT
from .test_view_browser import CHROMIUM, chromium, rendered, screenshot

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install chromium): browser "
    "tests skipped")

XSS_ARTICLE = {
    "id": "x01-xss", "date": "2024-03-08",
    "title": "<script>document.title='pwned'</script> market attack",
    "text": "JOS, Nigeria (Reuters) - Gunmen killed seven traders and wounded 11 others at the "
            "Terminus market in Jos on Thursday, police said. <img src=x onerror=\"document.body"
            ".setAttribute('data-pwned', '1')\">"}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("events-browser")
    articles = base / "articles"
    shutil.copytree(ROOT / "evals" / "events" / "articles", articles)
    (articles / "x01-xss.json").write_text(json.dumps(XSS_ARTICLE), encoding="utf-8")
    out = base / "out"
    done = run_cli(["run", str(articles), "--out", str(out), "--backend", "rules",
                    "--no-cache", "--quiet", "--events"])
    assert done.returncode == 0, done.stderr
    return out


def test_events_page_in_chromium(run: Path, tmp_path: Path) -> None:
    events = [json.loads(x) for x in (run / "events.jsonl").read_text().splitlines()]
    page = run / "events.html"
    soup = rendered(tmp_path, page)
    assert soup.find("html").get("data-events") == "ready", "the page's own script ran"
    assert soup.find(id="shown").get_text() == f"{len(events)} of {len(events)} events shown"
    shown = soup.select("details.event")
    assert len(shown) == len(events)
    # each event: its sources side by side, with their figures and quotes, linked to briefs
    jos = soup.find(id=next(e["id"] for e in events if "e01-wire-jos-market" in e["articles"]))
    rows = jos.select("tr.source")
    assert len(rows) == 5  # four tellings and the script-bearing copy
    links = {a["href"] for a in jos.select("tr.source a")}
    assert "index.html#brief-e01-wire-jos-market.json" in links
    assert all(r.select("blockquote") for r in rows)
    assert {r.select("td.num")[0].get_text() for r in rows} == {"7", "9"}
    # the text is text: nothing in the article or title ran
    assert soup.title.get_text().startswith("Events: ")
    assert not soup.find("body").has_attr("data-pwned")
    assert "<script>document.title='pwned'</script>" in jos.get_text()
    assert len(soup.find_all("script")) == 1

    # the filter: by what the events say, and told by more than one article
    dom = BeautifulSoup(chromium(tmp_path / "profile", "--dump-dom",
                                 page.as_uri() + "?q=kharkiv"), "html.parser")
    visible = [d for d in dom.select("details.event") if not d.has_attr("hidden")]
    assert visible and all("kharkiv" in d["data-search"] for d in visible)
    dom = BeautifulSoup(chromium(tmp_path / "profile", "--dump-dom",
                                 page.as_uri() + "?multi=1"), "html.parser")
    visible = [d for d in dom.select("details.event") if not d.has_attr("hidden")]
    assert len(visible) == sum(1 for e in events if len(e["articles"]) > 1)
    screenshot(tmp_path, page, "events.png")


def test_a_source_link_opens_its_brief_from_one_page_and_from_an_overview(
        run: Path, tmp_path: Path) -> None:
    index = rendered(tmp_path, run / "index.html")
    assert index.select_one("a.events-link")["href"] == "events.html"
    target = "brief-e06-followup-kharkiv-hospital.json"
    dom = BeautifulSoup(chromium(tmp_path / "profile", "--dump-dom",
                                 f"{(run / 'index.html').as_uri()}#{target}"), "html.parser")
    assert dom.find(id=target).has_attr("open")
    # a large run: the overview links to the events page and forwards the deep link
    write_index(run, page_briefs=10)
    overview = rendered(tmp_path, run / "index.html")
    assert overview.select("#page-table a") and overview.select_one("a.events-link")
    dom = BeautifulSoup(chromium(tmp_path / "profile", "--dump-dom",
                                 f"{(run / 'index.html').as_uri()}#{target}"), "html.parser")
    assert dom.find(id=target) is not None and dom.find(id=target).has_attr("open")
    # writing the events again keeps one link
    write_events(run)
    assert (run / "index.html").read_text().count('class="events-link"') == 1
