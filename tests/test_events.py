"""Events (issue 36): when and where a brief's incident happened, `summarizer events OUT`
grouping the briefs of a run into one record per incident, and its score on the committed
multi-article gold (evals/events)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from summarizer import summarize
from summarizer.evaluation.events import bcubed, evaluate_events, load_events_gold
from summarizer.events import EVENT_COLUMNS, group_items, item_of, link, write_events
from summarizer.events.consolidate import consolidate
from summarizer.events.items import Item
from summarizer.events.link import NEIGHBOURS, candidate_pairs
from summarizer.text.dates import html_published, incident_day, iso_date, resolve_day
from summarizer.text.places import dateline_place, facility_key, place_keys, places_in

from .cli import run_cli
from .conftest import ROOT

GOLD = ROOT / "evals" / "events"


# --- when ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "published", "want"), [
    ("on Thursday", "2024-03-09", "2024-03-07"),  # the Thursday before a Saturday paper
    ("on Saturday", "2024-03-09", "2024-03-09"),  # a Saturday paper's "on Saturday": that day
    ("late Friday night", "2024-03-09", "2024-03-08"),
    ("yesterday", "2024-03-09", "2024-03-08"),
    ("this morning", "2024-03-09", "2024-03-09"),
    ("on March 3", "2024-03-09", "2024-03-03"),
    ("on 12 March", "2024-03-09", "2023-03-12"),  # after publication: the year before
    ("on March 3, 2021", "2024-03-09", "2021-03-03"),
    ("a day after the bombing", "2024-05-18", "2024-05-17"),
    ("last week", "2024-03-09", None),  # names no day
    ("on Thursday", None, None),  # no publication date: a weekday stays unresolved
])
def test_relative_days_resolve_against_the_publication_date(text: str, published: str | None,
                                                            want: str | None) -> None:
    assert resolve_day(None, text, published) == want


def test_an_exact_date_wins_and_the_incident_day_skips_days_of_statements() -> None:
    assert resolve_day("2024-01-02", "on Thursday", "2024-03-09") == "2024-01-02"
    said = "The toll from Thursday's attack rose to nine, police said on Sunday."
    assert incident_day([said], "2024-03-10") == "2024-03-07"
    aftermath = "Families on Monday buried the four killed when a bomb went off on Sunday."
    assert incident_day([aftermath], "2024-11-05") == "2024-11-03"


def test_publication_dates_from_inputs_meta_tags_and_datelines() -> None:
    assert iso_date("Sun, 03 Mar 2024 10:00:00 GMT") == "2024-03-03"
    assert iso_date("2024-03-03T22:10:00+01:00") == "2024-03-03"
    assert iso_date("not a date") is None
    page = '<html><head><meta property="article:published_time" content="2024-02-01T09:00Z">'
    assert html_published(page) == "2024-02-01"
    assert html_published('<script type="application/ld+json">{"datePublished": '
                          '"2023-12-24"}</script>') == "2023-12-24"
    assert html_published("<html><body>no date</body></html>") is None


def test_an_html_page_gives_its_publication_date_to_the_article_and_the_brief() -> None:
    from summarizer.article import parse_article

    page = (b'<html><head><meta property="article:published_time" '
            b'content="2024-03-09T08:00:00Z"><title>Jos attack</title></head><body><article>'
            b"<h1>Jos attack</h1><p>Gunmen killed seven traders at the Terminus market in Jos "
            b"on Thursday, police said.</p></article></body></html>")
    article = parse_article(page, "jos.html", ".html")
    assert article.date == "2024-03-09"
    brief = summarize(article, backend="rules").brief
    assert brief.published == "2024-03-09"
    assert {c.date_resolved for c in brief.casualties} == {"2024-03-07"}


def test_a_cached_brief_takes_the_date_of_the_input_it_is_reused_for(tmp_path: Path) -> None:
    text = "Gunmen killed seven traders at the Terminus market in Jos on Thursday, police said."
    briefs = []
    for n, date in enumerate(("2024-03-09", "2024-03-16")):
        src = tmp_path / f"in{n}"
        src.mkdir()
        (src / "jos.json").write_text(json.dumps({"id": "jos", "title": "Jos attack",
                                                  "date": date, "text": text}))
        done = run_cli(["run", str(src), "--out", str(tmp_path / f"out{n}"), "--backend",
                        "rules", "--cache-dir", str(tmp_path / "cache"), "--quiet"])
        assert done.returncode == 0, done.stderr
        briefs.append(_rows(tmp_path / f"out{n}" / "briefs.jsonl")[0]["brief"])
    assert [b["published"] for b in briefs] == ["2024-03-09", "2024-03-16"]
    assert [b["casualties"][0]["date_resolved"] for b in briefs] == ["2024-03-07", "2024-03-14"]
    run = json.loads((tmp_path / "out1" / "run.json").read_text())
    assert run["cached"] == 1  # the second came from the cache


# --- where --------------------------------------------------------------------------------


def test_datelines_streets_and_in_phrases_name_places() -> None:
    assert dateline_place("KANO, Nigeria, March 3 (Reuters) - Gunmen killed") == "Kano, Nigeria"
    assert dateline_place("PARIS (AP) -- The minister said") == "Paris"
    assert dateline_place("Gunmen killed six people on Friday - police said") is None
    assert places_in("Gunmen opened fire on Ahmadu Bello Way in Kaduna on Friday.") == [
        "Ahmadu Bello Way, Kaduna"]
    assert places_in("Residents of Orlando East, Soweto, were in shock.") == [
        "Orlando East, Soweto"]
    assert place_keys("Terminus market, Jos") == {"jos"}
    assert facility_key("Terminus market, Jos") == "terminus market"
    assert place_keys("the Sahafi Beach hotel") == set()
    assert place_keys("the Kaduna district") == {"kaduna"}


def test_a_brief_carries_its_publication_date_and_each_record_its_day_and_place() -> None:
    text = ("JOS, Nigeria (Reuters) - Gunmen killed seven traders and wounded 11 others at the "
            "Terminus market in Jos on Thursday, police said.")
    from summarizer.article import Article

    brief = summarize(Article.from_text(text, title="Jos attack", date="2024-03-09"),
                      backend="rules").brief
    assert (brief.published, brief.dateline) == ("2024-03-09", "Jos, Nigeria")
    assert brief.casualties and all(c.date_resolved == "2024-03-07" for c in brief.casualties)
    assert all(c.place for c in brief.casualties)
    assert all(c.date is None for c in brief.casualties)  # `date` keeps its own rule


# --- grouping -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gold_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("events") / "out"
    done = run_cli(["run", str(GOLD / "articles"), "--out", str(out), "--backend", "rules",
                    "--no-cache", "--quiet", "--events"])
    assert done.returncode == 0, done.stderr
    return out


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_article_with_an_incident_is_in_exactly_one_event(gold_run: Path) -> None:
    briefs = _rows(gold_run / "briefs.jsonl")
    events = _rows(gold_run / "events.jsonl")
    members = [a for ev in events for a in ev["articles"]]
    with_incident = {b["id"] for b in briefs if b["brief"]["casualties"]}
    assert sorted(members) == sorted(with_incident)
    assert "n01-islamabad-talks" not in members  # no incident: in no event
    for ev in events:
        assert set(ev) == {"id", "date", "place", "perpetrators", "killed", "wounded",
                           "arrested", "sources", "articles"}
        assert 1 <= ev["sources"] <= len(ev["articles"])
        for key in ("killed", "wounded", "arrested"):
            if ev[key] is not None:
                assert ev[key]["low"] <= ev[key]["high"]
                assert {s["article_id"] for s in ev[key]["by_source"]} <= set(ev["articles"])


def test_the_rules_briefs_group_the_committed_gold_at_f1_09(gold_run: Path) -> None:
    gold = load_events_gold(GOLD).split("dev")
    rows = {r["id"]: r for r in _rows(gold_run / "briefs.jsonl")}
    report = evaluate_events(gold, rows)
    g = report["grouping"]
    assert g["f1"] >= 0.9, g
    lo, hi = g["f1_ci"]
    assert lo <= g["f1"] <= hi
    alone = report["references"]["each article alone"]
    assert alone["precision"] == 1.0 and alone["recall"] < g["recall"]
    assert report["totals"]["killed"]["exact"] >= 0.8


def test_revisions_syndicated_copies_and_distractors_on_the_gold(gold_run: Path) -> None:
    events = {tuple(ev["articles"]): ev for ev in _rows(gold_run / "events.jsonl")}
    jos = next(ev for arts, ev in events.items() if "e01-wire-jos-market" in arts)
    assert len(jos["articles"]) == 4
    assert jos["sources"] == 3  # the syndicated wire copy is the same source
    assert (jos["killed"]["low"], jos["killed"]["high"]) == (9, 9)  # the revised toll
    assert sorted(s["value"] for s in jos["killed"]["by_source"]) == [7, 7, 7, 9]
    assert jos["date"] == {"start": "2024-03-07", "end": "2024-03-07"}
    for distractor in ("d01-jos-church-attack", "d04-chicago-austin-shooting",
                       "d06-odesa-strike", "d02-quetta-blast"):
        assert (distractor,) in events, f"{distractor} was joined to another event"


def test_events_csv_loads_with_pandas_and_neutralises_text(gold_run: Path,
                                                           tmp_path: Path) -> None:
    frame = pd.read_csv(gold_run / "events.csv")
    assert list(frame.columns) == EVENT_COLUMNS
    assert len(frame) == len(_rows(gold_run / "events.jsonl"))
    assert frame["killed_high"].dropna().astype(int).ge(0).all()
    # a place that a spreadsheet would run as a formula is written with a leading '
    out = tmp_path / "run"
    out.mkdir()
    row = _rows(gold_run / "briefs.jsonl")[0]
    row["brief"]["casualties"][0]["place"] = "=HYPERLINK(\"x\")"
    (out / "briefs.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    write_events(out, page=False)
    assert pd.read_csv(out / "events.csv")["place"][0] == "'=HYPERLINK(\"x\")"


def test_grouping_does_not_depend_on_the_order_of_the_briefs(gold_run: Path,
                                                              tmp_path: Path) -> None:
    rows = _rows(gold_run / "briefs.jsonl")
    random.Random(7).shuffle(rows)
    out = tmp_path / "shuffled"
    out.mkdir()
    (out / "briefs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    write_events(out, page=False)

    def groups(folder: Path) -> set[frozenset[str]]:
        return {frozenset(ev["articles"]) for ev in _rows(folder / "events.jsonl")}

    assert groups(out) == groups(gold_run)
    ids = {ev["id"] for ev in _rows(out / "events.jsonl")}
    assert ids == {ev["id"] for ev in _rows(gold_run / "events.jsonl")}


def _item(n: int, *, day: int | None = 738950, published: int | None = 738951,
          places: frozenset[str] = frozenset({"jos"}), killed: int | None = None,
          lede: str | None = None) -> Item:
    return Item(index=n, article_id=f"a{n}", output=f"a{n}", day=day, published=published,
                place="Jos", places=places, areas=frozenset(), facilities=frozenset(),
                perpetrators=(),
                perp_keys=frozenset(), victims=frozenset(), ages=frozenset(), killed=killed,
                wounded=None, arrested=None, lede=lede if lede is not None else f"story {n}")


def test_a_revised_figure_counts_and_sources_on_one_day_give_a_range() -> None:
    early = [_item(0, published=1000, killed=7), _item(1, published=1000, killed=8)]
    late = _item(2, published=1003, killed=9)
    event = consolidate([*early, late])
    assert (event["killed"]["low"], event["killed"]["high"]) == (9, 9)
    same_day = consolidate(early)
    assert (same_day["killed"]["low"], same_day["killed"]["high"]) == (7, 8)
    copies = consolidate([_item(3, lede="Gunmen killed seven traders at a market in Jos."),
                          _item(4, lede="Gunmen killed seven traders at a market in Jos!")])
    assert copies["sources"] == 1


def test_candidate_pairs_grow_with_the_items_not_their_square() -> None:
    # 2,000 reports from one city on the same days: all-pairs would be ~2 million
    items = [_item(n, day=738950 + n % 5) for n in range(2000)]
    pairs = list(candidate_pairs(items))  # one block here: each pair once
    assert len(pairs) == len(set(pairs))
    assert len(pairs) <= NEIGHBOURS * len(items)


def test_an_event_never_spans_more_than_a_few_days() -> None:
    # a chain of reports a day apart, each like the next: linking stops at the span limit
    items = [_item(n, day=738950 + n, killed=3, lede="Gunmen killed three in Jos market")
             for n in range(8)]
    for members in link(items):
        days = [d for i in members if (d := items[i].day) is not None]
        assert max(days) - min(days) <= 3


def test_bcubed_matches_a_worked_example() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    p, r = bcubed(gold, {"a": "1", "b": "2", "c": "2"})
    assert list(p) == [1.0, 0.5, 0.5] and list(r) == [0.5, 0.5, 1.0]


def test_item_of_reads_an_older_run_from_its_article_text() -> None:
    row = {"id": "x", "output": "x", "article_text": "LAGOS, Nigeria (AP) - Gunmen killed "
           "two people in Ikeja on Monday, police said.",
           "brief": {"casualties": [{"incident": "Ikeja attack", "group": "people",
                                     "side": "victims", "killed": {"value": 2},
                                     "evidence": [{"quote": "Gunmen killed two people in "
                                                   "Ikeja on Monday"}]}]}}
    item = item_of(0, row)
    assert item is not None and "ikeja" in item.places and item.killed == 2
    assert item_of(1, {"id": "y", "brief": {"casualties": []}}) is None
    assert group_items([item])[0]["articles"] == ["x"]


def test_the_main_incident_is_the_one_told_first_not_the_largest() -> None:
    def rec(incident: str, killed: int, start: int) -> dict[str, Any]:
        return {"incident": incident, "group": "people", "side": "victims",
                "killed": {"value": killed}, "location": incident.split()[0],
                "evidence": [{"quote": f"{killed} killed", "start": start, "end": start + 9}]}

    row = {"id": "x", "output": "x", "brief": {"casualties": [
        rec("Kano bombing 2019", 50, 900), rec("Jos shooting", 3, 10)]}}
    item = item_of(0, row)
    assert item is not None and item.killed == 3 and "jos" in item.places


# --- the command --------------------------------------------------------------------------


def test_events_command_exit_codes(gold_run: Path, tmp_path: Path) -> None:
    assert run_cli(["events", str(tmp_path / "nowhere")]).returncode == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    done = run_cli(["events", str(empty)])
    assert done.returncode == 2 and "briefs.jsonl" in done.stderr
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    good = (gold_run / "briefs.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    (damaged / "briefs.jsonl").write_text("\n".join([good[0], "{not json", *good[1:]]) + "\n",
                                          encoding="utf-8")
    done = run_cli(["events", str(damaged)])
    assert done.returncode == 1
    assert "briefs.jsonl:2:" in done.stderr
    assert len(_rows(damaged / "events.jsonl")) >= 1
    blocked = tmp_path / "blocked"  # an output that cannot be written: one line, exit 3
    blocked.mkdir()
    (blocked / "briefs.jsonl").write_text(good[0] + "\n", encoding="utf-8")
    (blocked / "events.csv").mkdir()
    done = run_cli(["events", str(blocked)])
    assert done.returncode == 3, done.stderr
    assert "events.csv: cannot write" in done.stderr and len(done.stderr.splitlines()) == 1


def test_eval_reports_bcubed_for_an_events_dataset(tmp_path: Path) -> None:
    done = run_cli(["eval", "--dataset", str(GOLD), "--backend", "rules", "--out",
                    str(tmp_path / "eval")])
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "eval" / "events-report.json").read_text())
    assert set(report["splits"]) == {"dev", "test"}
    for split in ("dev", "test"):
        assert report["splits"][split]["rules"]["grouping"]["f1"] >= 0.9
    assert "B-cubed" in (tmp_path / "eval" / "events-report.md").read_text()
