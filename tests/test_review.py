"""`summarizer review` in process (Starlette's test client): the guards refuse and change
nothing, saves are atomic JSON Patches against an untouched machine brief, a save on an older
version is refused as stale, a re-made brief's review is kept and shown stale, and the
corrections export as a run and as a gold dataset the eval scores against."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
from pathlib import Path
from typing import Any

import jsonpatch
import pytest

pytest.importorskip("starlette")
from starlette.testclient import TestClient  # noqa: E402

from summarizer.evaluation.gold import load_gold  # noqa: E402
from summarizer.review import app as review_app  # noqa: E402
from summarizer.review.app import create_app  # noqa: E402
from summarizer.review.store import brief_hash, load_review  # noqa: E402

from .cli import run_cli  # noqa: E402
from .conftest import ROOT  # noqa: E402

ARTICLES = ("a-kharkiv-drone-strike.txt", "a-djibo-convoy-ambush.txt",
            "b-niamey-prison-riot.txt")
KHARKIV = "a-kharkiv-drone-strike.txt"
TOKEN = "t0ken"
H = {"X-Review-Token": TOKEN}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("review-run")
    for name in ARTICLES:
        (base / "in").mkdir(exist_ok=True)
        shutil.copy(ROOT / "evals" / "articles" / name, base / "in" / name)
    done = run_cli(["run", str(base / "in"), "--out", str(base / "out"), "--backend", "rules",
                    "--no-cache", "--quiet"])
    assert done.returncode == 0, done.stderr
    return base / "out"


@pytest.fixture
def out(made: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "out"
    shutil.copytree(made, copy)
    return copy


def client(out: Path, reviewer: str = "ann") -> TestClient:
    app, _ = create_app(out, reviewer, token=TOKEN, hosts=("testserver",))
    return TestClient(app)


def post(c: TestClient, output: str, body: Any, **kw: Any) -> Any:
    return c.post(f"/api/{output}", json=body, headers=H, **kw)


def machine(out: Path, output: str) -> dict[str, Any]:
    for line in (out / "briefs.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["output"] == output:
            return dict(row)
    raise AssertionError(output)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_requests_without_the_token_or_from_another_host_are_refused(out: Path) -> None:
    c = client(out)
    before = digest(out / "briefs.jsonl")
    assert c.get("/").status_code == 403
    assert c.get("/?token=wrong").status_code == 403
    assert c.get(f"/brief/{KHARKIV}").status_code == 403
    move = {"version": 0, "move": {"do": "reject", "fact": "/casualties/0"}}
    assert c.post(f"/api/{KHARKIV}", json=move).status_code == 403
    assert c.post(f"/api/{KHARKIV}", json=move,
                  headers={"X-Review-Token": "wrong"}).status_code == 403
    rebound = c.post(f"/api/{KHARKIV}", json=move, headers={**H, "Host": "evil.example"})
    assert rebound.status_code == 400
    assert c.get(f"/?token={TOKEN}", headers={"Host": "evil.example:80"}).status_code == 400
    assert not (out / "reviews").exists()
    assert digest(out / "briefs.jsonl") == before
    page = c.get(f"/?token={TOKEN}")
    assert page.status_code == 200
    assert "script-src 'sha256-" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"


@pytest.mark.parametrize("body,kind", [
    (b"not json", "application/json"),
    (b'{"version": 0, "move": {"do": "reject"}}', "text/plain"),  # a cross-site form's type
    (b'{"move": {"do": "reject", "fact": "/casualties/0"}}', "application/json"),
    (b'{"version": 0, "move": {"do": "reject", "fact": "/casualties/9"}}', "application/json"),
    (b'{"version": 0, "move": {"do": "set", "fact": "/casualties/0", "field": "perpetrator", '
     b'"value": "x"}}', "application/json"),
    (b'{"version": 0, "move": {"do": "set", "fact": "/casualties/0", "field": "killed", '
     b'"value": "many"}}', "application/json"),
    (b'{"version": 0, "move": {"do": "add", "kind": "casualty", "start": 5, "end": 999999}}',
     "application/json"),
    (b'{"version": 0, "status": "published"}', "application/json"),
    (b'[1, 2]', "application/json"),
])
def test_a_malformed_change_is_refused_and_changes_nothing(out: Path, body: bytes,
                                                           kind: str) -> None:
    c = client(out)
    got = c.post(f"/api/{KHARKIV}", content=body, headers={**H, "Content-Type": kind})
    assert got.status_code in (400, 415), got.text
    assert got.json()["error"]
    assert not (out / "reviews").exists()


def test_a_correction_is_a_json_patch_and_the_machine_brief_is_untouched(out: Path) -> None:
    c = client(out)
    before = digest(out / "briefs.jsonl")
    got = post(c, KHARKIV, {"version": 0, "move": {"do": "set", "fact": "/casualties/0",
                                                   "field": "killed", "value": 9}})
    assert got.status_code == 200, got.text
    got = post(c, KHARKIV, {"version": 1, "move": {"do": "set", "fact": "/casualties/0",
                                                   "field": "wounded.qualifier",
                                                   "value": "exact"}})
    assert got.json()["version"] == 2
    got = post(c, KHARKIV, {"version": 2, "move": {"do": "set", "fact": "/actors/0",
                                                   "field": "role", "value": "victim"}})
    assert got.status_code == 200, got.text
    review = load_review(out / "reviews" / "ann" / f"{KHARKIV}.json")
    assert review is not None and review.status == "in progress" and review.reviewer == "ann"
    row = machine(out, KHARKIV)
    assert review.base == brief_hash(row["brief"]) and review.result_key == row["result_key"]
    patched = jsonpatch.apply_patch(row["brief"], [e.model_dump() for e in review.edits])
    assert patched["casualties"][0]["killed"] == {"value": 9, "qualifier": "exact"}
    assert patched["casualties"][0]["wounded"]["qualifier"] == "exact"
    assert patched["actors"][0]["role"] == "victim"
    assert {e.path for e in review.edits} == {"/casualties/0/killed/value",
                                              "/casualties/0/wounded/qualifier",
                                              "/actors/0/role"}
    assert digest(out / "briefs.jsonl") == before
    page = c.get(f"/brief/{KHARKIV}?token={TOKEN}").text
    assert 'id="total-killed">9<' in page  # totals derived again by code


def test_reject_accept_and_a_quote_added_from_the_text(out: Path) -> None:
    c = client(out)
    row = machine(out, KHARKIV)
    text = row["article_text"]
    n_actors = len(row["brief"]["actors"])
    start = text.index("six people were dead")
    assert post(c, KHARKIV, {"version": 0, "move": {"do": "accept", "fact": "/actors/2"}}
                ).status_code == 200
    assert post(c, KHARKIV, {"version": 1, "move": {"do": "reject", "fact": "/actors/0"}}
                ).status_code == 200
    got = post(c, KHARKIV, {"version": 2, "move": {"do": "add", "kind": "casualty",
                                                   "start": start, "end": start + 20}})
    assert got.status_code == 200, got.text
    assert post(c, KHARKIV, {"version": 3, "status": "reviewed"}).status_code == 200
    review = load_review(out / "reviews" / "ann" / f"{KHARKIV}.json")
    assert review is not None and review.status == "reviewed" and review.version == 4
    assert review.accepted == ["/actors/1"]  # the accepted fact moved up when /actors/0 went
    brief = jsonpatch.apply_patch(row["brief"], [e.model_dump() for e in review.edits])
    assert len(brief["actors"]) == n_actors - 1
    added = brief["casualties"][-1]
    assert added["evidence"] == [{"quote": "six people were dead", "where": "text",
                                  "start": start, "end": start + 20, "match": "exact"}]
    assert added["killed"] is None  # "six" is a word: the reviewer gives the figure
    assert added["group"] == "six people were dead"
    got = post(c, KHARKIV, {"version": 4, "move": {"do": "set", "fact": "/casualties/1",
                                                   "field": "group", "value": " people "}})
    assert got.status_code == 200, got.text
    assert post(c, KHARKIV, {"version": 5, "move": {"do": "set", "fact": "/casualties/1",
                                                    "field": "group", "value": "x" * 101}}
                ).status_code == 400
    assert "reviewed 1 of 3" in c.get(f"/?token={TOKEN}").text
    final = load_review(out / "reviews" / "ann" / f"{KHARKIV}.json")
    assert final is not None and final.version == 5
    assert jsonpatch.apply_patch(row["brief"], [e.model_dump() for e in final.edits])[
        "casualties"][1]["group"] == "people"


def test_a_later_save_on_an_older_version_is_refused_as_stale(out: Path) -> None:
    tab1, tab2 = client(out), client(out)
    one = {"version": 0, "move": {"do": "set", "fact": "/casualties/0", "field": "killed",
                                  "value": 10}}
    two = {"version": 0, "move": {"do": "set", "fact": "/casualties/0", "field": "killed",
                                  "value": 11}}
    assert post(tab1, KHARKIV, one).status_code == 200
    refused = post(tab2, KHARKIV, two)
    assert refused.status_code == 409 and "saved elsewhere" in refused.json()["error"]
    review = load_review(out / "reviews" / "ann" / f"{KHARKIV}.json")
    assert review is not None and review.edits[0].model_dump()["value"] == 10
    # another reviewer's review of the same brief is a file of its own
    assert post(client(out, "bo"), KHARKIV, two).status_code == 200
    assert (out / "reviews" / "bo" / f"{KHARKIV}.json").is_file()


def test_a_failed_save_leaves_the_saved_review_whole(out: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    c = client(out)
    move = {"do": "set", "fact": "/casualties/0", "field": "killed", "value": 10}
    assert post(c, KHARKIV, {"version": 0, "move": move}).status_code == 200
    path = out / "reviews" / "ann" / f"{KHARKIV}.json"
    saved = path.read_text()

    def full(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError):
        post(c, KHARKIV, {"version": 1, "move": {**move, "value": 12}})
    monkeypatch.undo()
    assert path.read_text() == saved
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left


def test_a_review_of_a_brief_made_again_is_kept_and_shown_stale(out: Path) -> None:
    c = client(out)
    assert post(c, KHARKIV, {"version": 0, "move": {"do": "set", "fact": "/casualties/0",
                                                    "field": "killed", "value": 10}}
                ).status_code == 200
    assert post(c, KHARKIV, {"version": 1, "status": "reviewed"}).status_code == 200
    path = out / "reviews" / "ann" / f"{KHARKIV}.json"
    saved = path.read_text()
    rows = [json.loads(x) for x in (out / "briefs.jsonl").read_text().splitlines()]
    for row in rows:  # the brief made again (another model, --force)
        if row["output"] == KHARKIV:
            row["brief"]["headline"] = "Made again"
    (out / "briefs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    c = client(out)
    page = c.get(f"/brief/{KHARKIV}?token={TOKEN}").text
    assert 'id="stale"' in page
    refused = post(c, KHARKIV, {"version": 2, "status": "reviewed"})
    assert refused.status_code == 409
    assert path.read_text() == saved
    assert "reviewed 0 of 3" in c.get(f"/?token={TOKEN}").text
    done = run_cli(["export", str(out), "--reviewed", "--out", str(out.parent / "exp")])
    assert done.returncode == 1 and "not applied" in done.stderr
    # the reviewer starts the new brief afresh: the stale review is kept under stale/
    started = post(c, KHARKIV, {"version": 0, "restart": True})
    assert started.status_code == 200, started.text
    kept = path.parent / "stale" / started.json()["kept"]
    assert kept.read_text() == saved and not path.exists()
    assert post(c, KHARKIV, {"version": 0, "status": "reviewed"}).status_code == 200
    assert "reviewed 1 of 3" in c.get(f"/?token={TOKEN}").text


def test_the_queue_puts_flagged_and_uncertain_first_and_pages(out: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.setattr(review_app, "PER_PAGE", 2)
    c = client(out)
    # djibo is flagged, niamey's killed total unsure, kharkiv neither: kharkiv goes last
    first = c.get(f"/?token={TOKEN}").text
    assert "page 1 of 2" in first and "a-djibo-convoy-ambush.txt" in first
    assert "b-niamey-prison-riot.txt" in first and KHARKIV not in first
    assert KHARKIV in c.get(f"/?token={TOKEN}&page=2").text
    # resume: after a brief is opened, the queue resumes at the next one not yet reviewed
    djibo = c.get(f"/brief/a-djibo-convoy-ambush.txt?token={TOKEN}").text
    assert "is uncertain" in djibo  # its unsure totals say why
    flagged = ['class="flag"' in part for part in djibo.split('data-fact="')[1:]]
    assert any(flagged) and not all(flagged)
    assert flagged == sorted(flagged, reverse=True)  # flagged facts first
    assert 'id="resume" href="/brief/b-niamey' in c.get(f"/?token={TOKEN}").text


def test_article_text_is_escaped(out: Path) -> None:
    rows = [json.loads(x) for x in (out / "briefs.jsonl").read_text().splitlines()]
    for row in rows:
        if row["output"] == KHARKIV:
            row["article_text"] = "<script>alert(1)</script>" + row["article_text"][25:]
            row["brief"]["headline"] = "<img src=x onerror=alert(1)>"
    (out / "briefs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    page = client(out).get(f"/brief/{KHARKIV}?token={TOKEN}").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<img src=x" not in page


def test_exports_apply_the_corrections(out: Path, tmp_path: Path) -> None:
    for who, killed in (("ann", 9), ("bo", 7)):
        c = client(out, who)
        assert post(c, KHARKIV, {"version": 0, "move": {
            "do": "set", "fact": "/casualties/0", "field": "killed", "value": killed}}
                    ).status_code == 200
        assert post(c, KHARKIV, {"version": 1, "status": "reviewed"}).status_code == 200
    # ann also reviews a second brief
    c = client(out, "ann")
    assert post(c, "b-niamey-prison-riot.txt", {"version": 0, "status": "reviewed"}
                ).status_code == 200

    exp = tmp_path / "exp"
    done = run_cli(["export", str(out), "--reviewed", "--reviewer", "ann", "--out", str(exp)])
    assert done.returncode == 0, done.stderr
    rows = [json.loads(x) for x in (exp / "briefs.jsonl").read_text().splitlines()]
    assert sorted(r["output"] for r in rows) == [KHARKIV, "b-niamey-prison-riot.txt"]
    kharkiv = next(r for r in rows if r["output"] == KHARKIV)
    assert kharkiv["brief"]["casualties"][0]["killed"]["value"] == 9
    assert kharkiv["brief"]["totals"]["killed"]["low"] == 9
    assert (exp / "index.html").is_file() and (exp / "casualties.csv").is_file()
    assert "9" in (exp / "casualties.csv").read_text().splitlines()[1].split(",")
    assert run_cli(["export", str(out), "--out", str(tmp_path / "x")]).returncode == 2

    gold = tmp_path / "gold"
    done = run_cli(["gold", "export", str(out), "--to", str(gold), "--split", "test",
                    "--reviewer", "ann"])
    assert done.returncode == 0, done.stderr
    labeled = load_gold(gold / "gold" / f"{KHARKIV}.json")
    assert labeled.origin == "reviewed from a machine brief" and labeled.split == "test"
    assert labeled.labeled_by == "ann" and labeled.brief.casualties[0].killed is not None
    assert labeled.brief.casualties[0].killed.value == 9
    assert (gold / "articles" / f"{KHARKIV}.json").is_file()
    second = load_gold(gold / "gold-second" / f"{KHARKIV}.json")
    assert second.labeled_by == "bo" and second.brief.casualties[0].killed is not None
    assert second.brief.casualties[0].killed.value == 7
    assert sorted(p.name for p in (gold / "gold").iterdir()) == sorted(
        [f"{KHARKIV}.json", "b-niamey-prison-riot.txt.json"])

    report = tmp_path / "eval"
    done = run_cli(["eval", "--dataset", str(gold), "--backend", "rules", "--out", str(report)])
    assert done.returncode == 0, done.stderr
    scored = json.loads((report / "report.json").read_text())
    agreement = scored["agreement"]
    assert agreement["b"].endswith("gold-second")
    assert agreement["n_articles"] == 1


def test_review_command_refuses_what_cannot_work(out: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    missing = run_cli(["review", str(tmp_path / "nowhere")])
    assert missing.returncode == 2 and "no such folder" in missing.stderr
    bad = run_cli(["review", str(out), "--reviewer", "../x"])
    assert bad.returncode == 2 and "reviewer" in bad.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken_port = str(busy.getsockname()[1])
        held = run_cli(["review", str(out), "--port", taken_port])
    assert held.returncode == 2 and "cannot listen" in held.stderr
    monkeypatch.setitem(__import__("sys").modules, "starlette", None)
    extra = run_cli(["review", str(out)])
    assert extra.returncode == 2 and "summarizer[review]" in extra.stderr
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "x").write_text("")
    assert run_cli(["export", str(out), "--reviewed", "--out", str(taken)]).returncode == 2
    assert run_cli(["gold", "export", str(out), "--to", str(taken)]).returncode == 2
    assert not (out / "reviews").exists()
