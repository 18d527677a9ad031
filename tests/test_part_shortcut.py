"""The shortcut grounding takes past the breakdown reading (issue 16: it was half the cost of
grounding a brief) never skips a text where that reading finds a part."""

from pathlib import Path

from summarizer.text.counts import count_candidates, may_hold_parts
from summarizer.text.sentences import sentence_texts

EVALS = Path(__file__).resolve().parents[1] / "evals"


def test_no_text_without_a_part_marker_holds_a_part() -> None:
    spans = [s for art in sorted(EVALS.rglob("articles/*.txt"))
             for s in sentence_texts(art.read_text(encoding="utf-8"))]
    skipped = [s for s in spans if not may_hold_parts(s)]
    assert len(spans) > 500 and len(skipped) > len(spans) // 4  # the shortcut does skip
    assert [s for s in skipped if any(c.subset for c in count_candidates(s))] == []


def test_each_kind_of_part_is_seen_by_the_shortcut() -> None:
    for text in ("Gunmen killed six civilians, two of them children.",
                 "Among the dead were two nurses.",
                 "Police arrested 14 people, and eleven of the detainees were charged.",
                 "Four people were killed, including two children.",
                 "Three civilians — a vendor, a student and a girl — were killed."):
        assert may_hold_parts(text)
        assert any(c.subset for c in count_candidates(text)), text
    assert not may_hold_parts("Gunmen killed six people and wounded four on Monday.")
