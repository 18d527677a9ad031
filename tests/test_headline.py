"""Issue 33: the headline read, as a source and as a cross-check (summarizer/text/headline.py,
the rules' reader, certainty and grounding)."""

from __future__ import annotations

import pytest

from summarizer.article import Article
from summarizer.backends.rules import rules_draft
from summarizer.grounding import ground
from summarizer.rules.certainty import rules_reading
from summarizer.text.headline import disagrees, headline_figures


def _figures(title: str) -> list[tuple[str, int, str]]:
    return [(c.outcome, c.value, c.side.value) for c in headline_figures(title)]


@pytest.mark.parametrize(("title", "expected"), [
    ("3 dead, 2 hurt in Fresno shooting", [("killed", 3, "victims"), ("wounded", 2, "victims")]),
    ("Two killed as gunmen storm village in Zamfara", [("killed", 2, "victims")]),
    ("Teen killed, two others wounded in drive-by",
     [("killed", 1, "victims"), ("wounded", 2, "victims")]),
    ("Two men shot dead, third wounded in street shooting",
     [("killed", 2, "victims"), ("wounded", 1, "victims")]),
    ("Police: 4 shot, 1 fatally, outside bar", [("wounded", 3, "victims"),
                                                ("killed", 1, "victims")]),
    ("Mother, toddler found dead in Cedar Hollow home", [("killed", 2, "victims")]),
    ("Man dies after being shot in Oakland", [("killed", 1, "victims")]),
    ("Blast kills 12, wounds 30 at Kabul mosque",
     [("killed", 12, "victims"), ("wounded", 30, "victims")]),
    ("Bomb kills three militia fighters near Tal Afar", [("killed", 3, "victims")]),
    ("Deputy shot dead, gunman killed in standoff",
     [("killed", 1, "victims"), ("killed", 1, "attackers")]),
    ("At least 20 killed in floods", [("killed", 20, "victims")]),
    ("Gunmen Kill 7 Soldiers In Ambush Near Maiduguri", [("killed", 7, "victims")]),
    ("Three Killed, Two Hurt In Fresno Shooting",
     [("killed", 3, "victims"), ("wounded", 2, "victims")]),
    ("Kabul: Explosion at school kills 7 - BBC News", [("killed", 7, "victims")]),
    ("Two men killed in Eastgate shooting; suspect wounded by officer",
     [("killed", 2, "victims"), ("wounded", 1, "attackers")]),
    ("Bomb kills three including attacker at Gwoza bus park",
     [("killed", 2, "victims"), ("killed", 1, "attackers")]),
    ("Mother and toddler found dead in home; sheriff says father took his own life",
     [("killed", 2, "victims"), ("killed", 1, "attackers")]),
    # an active verb is no casualty of its subject's
    ("Glenfield man killed estranged wife, police say", []),
    ("No one hurt in Jos blast", [("killed", 0, "victims"), ("wounded", 0, "victims")]),
    # a headline of another time or of a tally states no figure of the story's incident
    ("Ten years after mall attack that killed 67, survivors remember", []),
    ("Weekend violence: 11 shot across city", []),
    ("Ex-soldier convicted of killing 5 civilians", []),
    ("Trial opens for man accused of killing three at cafe", []),
    ("City council approves budget for new library", []),
])
def test_a_headline_is_read_in_its_own_grammar(title: str, expected: list[object]) -> None:
    assert _figures(title) == expected


BODY = ("Three people were killed when a gunman opened fire outside a bar on Elm Street late "
        "on Sunday, police said. The others were taken to a hospital, where they were in stable "
        "condition.")


def test_the_headline_is_the_source_of_a_total_the_text_does_not_state() -> None:
    article = Article.from_text(BODY, title="4 dead, 2 hurt in Elm Street bar shooting",
                                source="<t>")
    result = ground(article, rules_draft(article))
    t = result.brief.totals
    # the text gives three dead and no wounded figure: the headline's 2 is the wounded
    # total; its 4 dead disagrees with the text's three
    assert (t.killed.low, t.wounded.low) == (3, 2)
    assert result.flags == []
    quoted = [e for r in result.brief.casualties if r.wounded is not None for e in r.evidence]
    assert [(e.where, e.match) for e in quoted] == [("title", "exact")]
    assert article.title[quoted[0].start:quoted[0].end] == article.title
    assert "headline_disagrees" in rules_reading(article).why["killed"]
    assert "headline_disagrees" not in rules_reading(article).why["wounded"]


def test_the_headline_cross_checks_a_total_the_text_states() -> None:
    text = "A bomb went off at a bus station in Kano on Monday, killing nine people, police said."
    agrees = Article.from_text(text, title="Nine killed at Kano bus station", source="<t>")
    differs = Article.from_text(text, title="Seven killed at Kano bus station", source="<t>")
    for article in (agrees, differs):
        assert ground(article, rules_draft(article)).brief.totals.killed.low == 9
    assert rules_reading(agrees).why["killed"] == []
    assert "headline_disagrees" in rules_reading(differs).why["killed"]


def test_a_recalling_headline_is_no_source() -> None:
    article = Article.from_text(
        "Survivors gathered at the mall on Saturday to plant trees and read names.",
        title="Ten years after mall attack that killed 67, survivors remember", source="<t>")
    assert ground(article, rules_draft(article)).brief.totals.killed is None


def test_a_model_quote_of_the_headline_is_located_there_and_supports_its_count() -> None:
    article = Article.from_text(BODY, title="Teen killed, two others wounded in drive-by",
                                source="<t>")
    draft = rules_draft(article).model_copy(update={"casualties": []})
    data = draft.model_dump(mode="json")
    data["casualties"] = [{"incident": "drive-by", "group": "teen", "side": "victims",
                           "killed": {"value": 1}, "wounded": {"value": 2},
                           "evidence": [{"quote": "Teen killed, two others wounded"}]}]
    result = ground(article, type(draft).model_validate(data))
    ev = result.brief.casualties[0].evidence[0]
    assert (ev.where, ev.start, ev.end, ev.match) == ("title", 0, 31, "exact")
    assert not [f for f in result.flags if f.path.startswith("casualties")]


@pytest.mark.parametrize(("title", "total", "disagree"), [
    ("Seven killed at bus station", (9, 9), True),
    ("Seven killed at bus station", (7, 9), False),
    ("Nine killed at bus station", (9, 9), False),
    # a person named without a number is one the headline leads with, not the toll
    ("Gunmen kill villagers at market; soldier dies in pursuit", (6, 6), False),
    ("Man killed, woman critically hurt in shooting", (2, 2), False),
    ("Man killed, woman critically hurt in shooting", (0, 0), True),
])
def test_a_headline_disagrees_only_with_a_total_it_rules_out(
        title: str, total: tuple[int, int], disagree: bool) -> None:
    killed = [c for c in headline_figures(title) if c.outcome == "killed"
              and c.side.value == "victims"]
    assert disagrees(killed, *total) is disagree


def test_the_markdown_brief_says_a_quote_is_the_headlines() -> None:
    from summarizer.batch.output import _quotes
    from summarizer.brief import Evidence

    lines = _quotes([Evidence(quote="3 dead", where="title", start=0, end=6, match="exact"),
                     Evidence(quote="Three were killed.", start=40, end=58, match="exact")],
                    set(), "casualties[0]")
    assert lines == ["  > “3 dead” (headline, chars 0-6)",
                     "  > “Three were killed.” (chars 40-58)"]
