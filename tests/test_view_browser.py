"""The HTML views in a real browser: headless Chromium (Debian's `chromium` package) loads the
pages from file:// and we assert on the DOM after its scripts ran, and save screenshots.

Skips, saying why, where `chromium` is not installed (`.ci/run` installs it)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from summarizer.view import write_index
from summarizer.view.eval_page import write_report_html

from .conftest import ROOT
from .test_view import XSS, brief_run, located, records

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install chromium): browser "
    "tests skipped")


def chromium(profile: Path, *args: str) -> str:
    """Run headless Chromium once, offline, with a throwaway profile; returns stdout."""
    assert CHROMIUM is not None
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def rendered(tmp_path: Path, page: Path) -> BeautifulSoup:
    """The DOM after the page's scripts ran."""
    dom = chromium(tmp_path / "profile", "--dump-dom", page.as_uri())
    assert dom.strip(), "empty DOM: a script in the page opened a dialog (alert) and blocked it"
    return BeautifulSoup(dom, "html.parser")


def screenshot(tmp_path: Path, page: Path, name: str) -> Path:
    shot = tmp_path / "screenshots" / name
    shot.parent.mkdir(exist_ok=True)
    chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,800",
             page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000
    return shot


def flag_first(out: Path) -> list[dict[str, Any]]:
    """The run's records with a grounding flag put on the first brief's first casualty."""
    recs = records(out)
    recs[0]["brief"]["flags"].append({"code": "count_unsupported",
                                      "path": "casualties[0].killed",
                                      "message": "the quote does not state this figure"})
    return recs


def test_briefs_page_in_chromium(tmp_path: Path) -> None:
    out = brief_run(tmp_path, {"xss.txt": XSS, "empty.txt": "  \n"})
    recs = flag_first(out)
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    page = write_index(out, recs, errors, json.loads((out / "run.json").read_text()))
    soup = rendered(tmp_path, page)
    root = soup.find("html")
    assert root.get("data-viewer") == "ready", "the page's own script ran"
    assert soup.find(id="shown").get_text() == f"{len(recs)} of {len(recs)} shown"

    # every brief's article is in the page; one <mark> per located quote, over text[start:end]
    for rec in recs:
        section = soup.find(id=f"brief-{rec['output']}")
        assert section is not None and section.select_one(".article-text")
        for where, string, css in (("text", rec["article_text"], ".article-text"),
                                   ("title", rec.get("title") or "", ".article-title")):
            marks = section.select(f"{css} mark[data-q]")
            assert sorted((int(m["data-start"]), int(m["data-end"])) for m in marks) == sorted(
                located(rec, where))
            for m in marks:
                assert m.get_text() == string[int(m["data-start"]):int(m["data-end"])]
                assert section.find(id=m["data-fact"]) is not None, "each mark links to its fact"
    assert sum(len(located(r)) + len(located(r, "title")) for r in recs) == len(
        soup.select("mark[data-q]")) > 0

    # the flagged fact stands out with its reason, in the brief that is open on load
    first = soup.find(id=f"brief-{recs[0]['output']}")
    assert first.has_attr("open") and not first.has_attr("hidden")
    fact = first.select_one("li.fact.flagged")
    assert "the quote does not state this figure" in fact.get_text()
    assert first.select_one("summary .badge.warn") is not None

    # failed inputs are listed with their reason
    assert "empty" in soup.find(id="failed").get_text()

    # the script-bearing article is text, and nothing in it ran
    assert soup.title.get_text() == f"Briefs: {out.name}"
    assert not soup.find("body").has_attr("data-pwned")
    assert not soup.find_all("img")
    assert len(soup.find_all("script")) == 1
    xss = next(r for r in recs if r["source"].endswith("xss.txt"))
    shown = soup.find(id=f"brief-{xss['output']}").select_one(".article-text").get_text()
    assert "<script>document.title = 'pwned'; alert(1)</script>" in shown
    assert "onerror=\"document.body.setAttribute('data-pwned', '1')\"" in shown

    screenshot(tmp_path, page, "index.png")


def test_a_deep_link_opens_its_brief_and_marks_the_fact(tmp_path: Path) -> None:
    out = brief_run(tmp_path)
    recs = records(out)
    last = recs[-1]
    soup = rendered(tmp_path, out / "index.html")
    mark = soup.find(id=f"brief-{last['output']}").select_one("mark[data-q]")
    fact = soup.find(id=mark["data-fact"])
    target = f"{(out / 'index.html').as_uri()}#{fact['id']}"
    dom = BeautifulSoup(chromium(tmp_path / "profile", "--dump-dom", target), "html.parser")
    assert dom.find(id=f"brief-{last['output']}").has_attr("open")
    assert "active" in dom.find(id=fact["id"])["class"]
    marks = dom.select(f'mark[data-fact="{fact["id"]}"]')
    assert marks and all("active" in m["class"] for m in marks)


def test_eval_report_in_chromium(tmp_path: Path) -> None:
    data = json.loads((ROOT / "evals/baselines/test/report.json").read_text())
    page = write_report_html(data, tmp_path)
    soup = rendered(tmp_path, page)
    assert len(soup.select("#metrics .chart svg")) == len(data["metrics"])
    assert len(soup.select("#paired svg")) == len(data["configs"]) - 1
    assert soup.select("#categories svg") and soup.select("#grounding svg")
    screenshot(tmp_path, page, "report.png")


def test_a_large_run_opens_as_an_overview_then_pages(tmp_path: Path) -> None:
    from .test_view import _many

    out = brief_run(tmp_path)
    rows = _many(out, 7)
    write_index(out, page_briefs=3)  # 3 pages, as 50,000 briefs make 50
    soup = rendered(tmp_path, out / "index.html")
    assert [a.get_text() for a in soup.select("#page-table a")] == ["page 1", "page 2", "page 3"]
    assert len(soup.select(".charts svg")) == 3
    page = rendered(tmp_path, out / "pages" / "page-00002.html")
    assert [d["id"] for d in page.select("details.brief")] == [
        f"brief-{r['output']}" for r in rows[3:6]]
    assert page.select_one("#shown").get_text() == "3 of 3 shown"  # its script ran
    # an old deep link into index.html is sent on to the page holding that brief
    last = rows[-1]["output"]
    dom = BeautifulSoup(chromium(tmp_path / "profile", "--dump-dom",
                                 f"{(out / 'index.html').as_uri()}#brief-{last}"),
                        "html.parser")
    assert dom.find(id=f"brief-{last}") is not None and dom.find(id=f"brief-{last}").has_attr(
        "open")
    screenshot(tmp_path, out / "index.html", "overview.png")
