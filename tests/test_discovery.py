"""What a run reads: links that lead outside the given paths are refused unless asked for,
and an article with no visible character is an error, not a brief."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.batch import RunOptions, run_batch
from summarizer.batch.discovery import discover
from summarizer.spec import Spec

SECRET = "root:x:0:0:this line must never be read"


def _tree(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    (src / "story.txt").write_text("Flood in the valley\nTwo people drowned on Monday.\n")
    secret = tmp_path / "outside" / "passwd.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET + "\n")
    (src / "passwd.txt").symlink_to(secret)
    (src / "elsewhere").symlink_to(secret.parent, target_is_directory=True)
    (src / "alias.txt").symlink_to(src / "story.txt")  # inside the given folder: fine
    (src / "blank.txt").write_text("\u200b\u200b\u200b\n\u200b")
    return src


def test_links_outside_the_given_paths_are_errors_and_never_read(tmp_path: Path) -> None:
    src = _tree(tmp_path)
    out = tmp_path / "out"
    summary, code = run_batch([str(src)], RunOptions(out=out, spec=Spec(backend="rules"),
                                                     quiet=True, use_cache=False))
    assert code == 1
    errors = {e["output"]: e["reason"] for e in map(json.loads, (out / "errors.jsonl")
                                                    .read_text().splitlines())}
    assert "outside the input paths" in errors["passwd.txt"]
    assert "--follow-symlinks" in errors["passwd.txt"]
    assert "outside the input paths" in errors["elsewhere"]
    assert "empty article" in errors["blank.txt"] and "visible" in errors["blank.txt"]
    briefed = {json.loads(line)["output"] for line in (out / "briefs.jsonl").read_text()
               .splitlines()}
    assert briefed == {"story.txt", "alias.txt"}
    assert not any(SECRET in p.read_text(errors="replace") for p in out.rglob("*")
                   if p.is_file())
    assert (summary.found, summary.failed) == (5, 3)


def test_follow_symlinks_reads_them(tmp_path: Path) -> None:
    src = _tree(tmp_path)
    found = {it.key: it for it in discover([str(src)], follow_symlinks=True)}
    assert found["passwd.txt"].article is not None
    assert found["elsewhere__passwd.txt"].article is not None


def test_a_link_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    src = _tree(tmp_path)
    (item,) = discover([str(src / "passwd.txt")])
    assert item.article is not None  # the user named it explicitly
