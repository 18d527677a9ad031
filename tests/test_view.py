"""The HTML views without a browser: quote marks at their offsets (nested and crossing), plain
counts, flags on their facts, escaping, the batch's index.html, `summarizer view`, report.html.
The rendered pages are checked in headless Chromium by test_view_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from summarizer.brief import Count, Qualifier, Total
from summarizer.cli import main
from summarizer.view import write_index
from summarizer.view.briefs_page import article_text, render_briefs_page
from summarizer.view.eval_page import gh_anchor, render_report_html
from summarizer.view.highlight import Span, highlight
from summarizer.view.model import fact_path, plain_count, plain_total

from .conftest import ROOT

XSS = ("Gunmen killed 4 people in Lakeside on Monday, police said.\n\n"
       "<script>document.title = 'pwned'; alert(1)</script> "
       "<img src=x onerror=\"document.body.setAttribute('data-pwned', '1')\"> "
       "Police arrested 2 suspects on Tuesday.\n")


def brief_run(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    """A rules-backend run (no model) over the samples plus `extra` files; returns OUT."""
    src = tmp_path / "in"
    src.mkdir()
    for path in sorted((ROOT / "samples").glob("*.txt")):
        shutil.copy(path, src / path.name)
    for name, text in (extra or {}).items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    main(["run", str(src), "--out", str(out), "--backend", "rules", "--no-cache", "--quiet"])
    return out


def records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "briefs.jsonl").read_text().splitlines()]


def located(record: dict[str, Any], where: str = "text") -> list[tuple[int, int]]:
    """(start, end) of every evidence quote of a record's brief located in its text (or,
    with `where="title"`, in its title)."""
    brief = record["brief"]
    lists = [a["evidence"] for a in brief["actors"]] + [
        c["evidence"] for c in brief["casualties"]] + [
        a["evidence"] for a in brief["arrests"]] + [brief["diplomatic_significance"]["evidence"]]
    return [(e["start"], e["end"]) for ev in lists for e in ev
            if e["start"] is not None and e["end"] is not None and e["start"] < e["end"]
            and e.get("where", "text") == where]


# --- marks ------------------------------------------------------------------------------------


def _marks(html: str) -> BeautifulSoup:
    return BeautifulSoup(f"<div>{html}</div>", "html.parser")


def test_disjoint_and_nested_quotes_are_one_mark_each_holding_their_text() -> None:
    text = "Police said 12 people died in the blast on Monday, officials added."
    spans = [Span("q1", "f1", 0, 35), Span("q2", "f2", 12, 24), Span("q3", "f3", 12, 24),
             Span("q4", "f4", 41, 50, flagged=True), Span("bad", "f5", 60, 999)]
    soup = _marks(highlight(text, spans))
    assert soup.get_text() == text
    marks = soup.select("mark[data-q]")
    assert sorted(m["data-q"] for m in marks) == ["q1", "q2", "q3", "q4"]  # out of range: none
    for m in marks:
        assert m.get_text() == text[int(m["data-start"]):int(m["data-end"])]
    assert not soup.select("mark[data-cont]")
    assert "flagged" in soup.select_one('mark[data-q="q4"]')["class"]


def test_crossing_quotes_keep_one_primary_mark_and_continue_in_another() -> None:
    text = "abcdefghijklmnopqrst"
    soup = _marks(highlight(text, [Span("a", "fa", 0, 10), Span("b", "fb", 5, 15)]))
    assert soup.get_text() == text
    assert len(soup.select('mark[data-q="a"]')) == len(soup.select('mark[data-q="b"]')) == 1
    assert soup.select_one('mark[data-q="a"]').get_text() == text[0:10]
    pieces = soup.select('mark[data-q="b"], mark[data-cont="b"]')
    assert "".join(p.get_text() for p in pieces) == text[5:15]


def test_article_text_is_escaped_in_and_out_of_marks() -> None:
    text = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"
    html = highlight(text, [Span("q1", "f1", 0, 8)])
    assert "<script>" not in html and "<img" not in html
    assert _marks(html).get_text() == text


# --- plain words ------------------------------------------------------------------------------


def test_counts_and_ranges_are_written_plainly() -> None:
    assert plain_total(Total(low=12, high=12)) == "12"
    assert plain_total(Total(low=7, high=9)) == "7–9"
    assert plain_total(Total(low=12, high=12, at_least=True)) == "at least 12"
    assert plain_total(None) == ""
    assert plain_count(Count(value=30, qualifier=Qualifier.approximately)) == "about 30"
    assert plain_count(Count(value=5, qualifier=Qualifier.up_to)) == "up to 5"
    assert plain_count(None) == "not reported"


def test_flags_belong_to_their_fact() -> None:
    assert fact_path("casualties[10].killed") == "casualties[10]"
    assert fact_path("actors[0].evidence[1]") == "actors[0]"
    assert fact_path("diplomatic_significance.parties[0]") == "diplomatic_significance"
    assert fact_path("totals.killed") is None


# --- the briefs page --------------------------------------------------------------------------


def test_run_writes_index_with_every_located_quote_marked(tmp_path: Path) -> None:
    out = brief_run(tmp_path, {"xss.txt": XSS, "empty.txt": "   \n"})
    page = (out / "index.html").read_text()
    soup = BeautifulSoup(page, "html.parser")
    recs = records(out)
    assert len(recs) == 4 and all(isinstance(r["article_text"], str) for r in recs)
    assert {"id", "output", "source", "brief", "provenance", "result_key"} <= set(recs[0])
    for rec in recs:
        section = soup.find(id=f"brief-{rec['output']}")
        assert section is not None, rec["output"]
        marks = section.select(".article-text mark[data-q]")
        assert sorted((int(m["data-start"]), int(m["data-end"])) for m in marks) == sorted(
            located(rec))
        for m in marks:
            assert m.get_text() == rec["article_text"][int(m["data-start"]):int(m["data-end"])]
        # a quote of the headline is marked in the headline shown above the text
        marks = section.select(".article-title mark[data-q]")
        assert sorted((int(m["data-start"]), int(m["data-end"])) for m in marks) == sorted(
            located(rec, "title"))
        for m in marks:
            assert m.get_text() == rec["title"][int(m["data-start"]):int(m["data-end"])]
    assert located(recs[0]), "the samples have located quotes"
    assert any(located(r, "title") for r in recs), "the XSS story's toll is its headline's"
    # failed inputs listed with their reason
    failed = soup.find(id="failed")
    assert failed is not None and "empty" in failed.get_text()
    # article text is data: the payload is text in the page, not markup
    assert "<script>document" not in page and "&lt;script&gt;document.title" in page
    assert "<img src=x" not in page
    assert len(soup.find_all("script")) == 1
    # the one script is allowed by its hash and by nothing else
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    code = soup.find("script").string
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == f"'sha256-{digest}'"
    assert directives["default-src"] == "'none'"
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "nothing fetched"


def test_flagged_fact_shows_its_reason_and_ranges_read_plainly(tmp_path: Path) -> None:
    out = brief_run(tmp_path)
    rec = records(out)[0]
    rec["brief"]["flags"] = [{"code": "count_unsupported", "path": "casualties[0].killed",
                              "message": "11 is not in the quote <b>here</b>"}]
    rec["brief"]["totals"]["killed"] = {"low": 7, "high": 9, "at_least": False}
    soup = BeautifulSoup(render_briefs_page([rec]), "html.parser")
    fact = soup.select_one("li.fact.flagged")
    assert fact is not None and fact["id"].endswith("cas0")
    assert "11 is not in the quote <b>here</b>" in fact.get_text()  # escaped, shown as text
    assert soup.select_one("#brief-table td.num").get_text() == "7–9"


def test_older_records_reload_the_article_from_source(tmp_path: Path) -> None:
    out = brief_run(tmp_path)
    rec = records(out)[0]
    text = rec.pop("article_text")
    assert article_text(rec) == (text, None)
    Path(rec["source"]).write_text("Something else entirely.\n")
    got, note = article_text(rec)
    assert note and "changed" in note
    soup = BeautifulSoup(render_briefs_page([rec]), "html.parser")
    assert not soup.select("mark") and "changed" in soup.get_text()
    rec["source"] = str(tmp_path / "gone.txt")
    assert article_text(rec)[0] is None


def test_view_command_writes_index_and_prints_its_path(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = brief_run(tmp_path)
    (out / "index.html").unlink()
    capsys.readouterr()
    assert main(["view", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out / "index.html")
    assert (out / "index.html").is_file()
    assert main(["view", str(tmp_path / "missing")]) == 2
    # a run killed before briefs.jsonl: the per-article files are enough
    (out / "briefs.jsonl").unlink()
    path = write_index(out)
    assert len(BeautifulSoup(path.read_text(), "html.parser").select("details.brief")) == 3


# --- the eval report --------------------------------------------------------------------------


def test_report_html_has_charts_comparisons_categories_and_diff_links() -> None:
    data = json.loads((ROOT / "evals/baselines/test/report.json").read_text())
    data["configs"][1] = "<b>hybrid</b>"  # names are data too
    for metric in data["metrics"].values():
        metric["values"]["<b>hybrid</b>"] = metric["values"].pop("hybrid")
    page = render_report_html(data)
    soup = BeautifulSoup(page, "html.parser")
    assert "<b>hybrid</b>" not in page and "&lt;b&gt;hybrid&lt;/b&gt;" in page
    assert not soup.find_all("script")
    charts = soup.select("#metrics .chart svg")
    assert len(charts) == len(data["metrics"])
    pairs = {(c["a"], c["b"]) for c in data["comparisons"]}
    assert len(soup.select("#paired svg")) == len(pairs)
    assert len(soup.select("#categories tbody tr")) == len(data["categories"]) * 4
    assert soup.select("#grounding svg") and soup.select("#agreement svg")
    for article in data["articles"]:
        assert soup.find("a", href=f"diffs.md#{gh_anchor(article)}")


def test_write_reports_writes_report_html(tmp_path: Path) -> None:
    from summarizer.evaluation import evaluate, load_dataset, oracle, write_reports

    from .eval_cases import make_dataset

    cases = load_dataset(make_dataset(tmp_path / "evals"))
    runs = {"oracle": {c.id: oracle(c.gold.brief) for c in cases}, "failed": {}}
    paths = write_reports(evaluate(cases, runs, n_resamples=50), tmp_path / "out")
    assert paths["html"] == tmp_path / "out" / "report.html"
    soup = BeautifulSoup(paths["html"].read_text(), "html.parser")
    assert soup.select("#metrics svg") and soup.select("#paired svg")


# --- a run larger than one page ----------------------------------------------------------------


def _many(out: Path, n: int) -> list[dict[str, Any]]:
    """briefs.jsonl of `n` records: the samples' records repeated under new names."""
    base = records(out)
    rows = []
    for i in range(n):
        rec = json.loads(json.dumps(base[i % len(base)]))
        rec["output"] = f"story-{i:04d}.txt"
        rows.append(rec)
    (out / "briefs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return rows


def _where(index: Path) -> list[list[Any]]:
    soup = BeautifulSoup(index.read_text(), "html.parser")
    return json.loads(soup.find("script", id="where").string)


def test_a_large_run_is_an_overview_and_pages_holding_every_brief_once(tmp_path: Path) -> None:
    out = brief_run(tmp_path, {"xss.txt": XSS})
    rows = _many(out, 11)
    write_index(out, page_briefs=4)
    pages = sorted((out / "pages").glob("page-*.html"))
    assert [p.name for p in pages] == ["page-00001.html", "page-00002.html", "page-00003.html"]
    seen: list[str] = []
    for n, page in enumerate(pages, start=1):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        briefs = [d["id"] for d in soup.select("details.brief")]
        assert 1 <= len(briefs) <= 4
        seen += briefs
        nav = {a.get_text(strip=True): a["href"] for a in soup.select("nav.pager a")}
        assert nav["overview"] == "../index.html"
        assert ("← previous page" in nav) == (n > 1) and ("next page →" in nav) == (n < 3)
        if n < 3:
            assert nav["next page →"] == pages[n].name
        assert len(soup.find_all("script", src=True)) == 0  # nothing fetched
    assert seen == [f"brief-{r['output']}" for r in rows]  # every brief once, in order
    index = out / "index.html"
    soup = BeautifulSoup(index.read_text(), "html.parser")
    assert "11 briefs on 3 pages" in soup.select_one("header .meta").get_text()
    assert [a["href"] for a in soup.select("#page-table a")] == [f"pages/{p.name}" for p in pages]
    assert len(soup.select(".charts svg")) == 3
    assert _where(index) == [[r["output"], i // 4 + 1] for i, r in enumerate(rows)]
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    code = soup.find_all("script")[-1].string
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp and "default-src 'none'" in csp
    # an article's markup never reaches the overview as markup (the finder's data included)
    assert "<script>document" not in index.read_text()


def test_pages_are_cut_by_size_too_and_a_smaller_rerun_leaves_no_stale_page(
        tmp_path: Path) -> None:
    out = brief_run(tmp_path)
    _many(out, 6)
    write_index(out, page_briefs=1000, page_bytes=1)  # every record over budget: one a page
    assert len(list((out / "pages").glob("page-*.html"))) == 6
    _many(out, 3)
    write_index(out, page_briefs=2)
    assert len(list((out / "pages").glob("page-*.html"))) == 2
    _many(out, 2)
    write_index(out)  # one page again: as small runs always were, no pages folder
    assert not (out / "pages").exists()
    soup = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    assert len(soup.select("details.brief")) == 2 and not soup.select("nav.pager")


def test_the_overview_counts_failures_and_flags(tmp_path: Path) -> None:
    out = brief_run(tmp_path, {"empty.txt": ""})
    rows = _many(out, 5)
    rows[0]["brief"]["flags"].append({"code": "count_unsupported", "path": "casualties[0].killed",
                                      "message": "the quote does not state this figure"})
    (out / "briefs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    write_index(out, page_briefs=2)
    soup = BeautifulSoup((out / "index.html").read_text(), "html.parser")
    assert "1 with grounding flags" in soup.select_one("header .meta").get_text()
    assert "count_unsupported" in soup.get_text()
    assert "empty.txt" in soup.select_one("#failed").get_text()
