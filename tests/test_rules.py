"""The rules backend and the text analysis under it: the seed's figures, and one constructed
sentence per pattern (digits, number words, ordinals, vague amounts, parts and totals,
attackers apart, arrest statuses)."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.article import Article, load_article
from summarizer.backends import resolve_backend
from summarizer.backends.base import Backend, Settings
from summarizer.backends.rules import RulesBackend, rules_draft
from summarizer.brief import ArrestStatus, Qualifier, Side
from summarizer.evaluation import load_gold
from summarizer.grounding import ground
from summarizer.prompts import load_prompt
from summarizer.text import count_candidates, name_candidates, sentences

from .conftest import ROOT


def _article(text: str, title: str = "A title") -> Article:
    return Article.from_text(text, title=title, source="<test>")


def _counts(text: str) -> list[tuple[str, int, str, bool]]:
    return [(c.outcome, c.value, c.side.value, c.total) for c in count_candidates(text)]


# --- the seed ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Article:
    return load_article(Path(__file__).resolve().parents[1] / "samples" /
                        "palmyra-condolences.txt")


def test_seed_records_and_totals(seed: Article) -> None:
    draft = rules_draft(seed)
    figures = sorted((c.group, c.killed.value if c.killed else None,
                      c.wounded.value if c.wounded else None, c.location)
                     for c in draft.casualties)
    assert figures == [("U.S. service members", 2, None, "Palmyra"),
                       ("local interpreter", 1, None, "Palmyra"),
                       ("officers", 4, 1, "Idlib")]
    assert [(a.count.value, a.status) for a in draft.arrests if a.count] == [
        (3, ArrestStatus.arrested), (5, ArrestStatus.detained)]  # "eight" is their sum
    result = ground(seed, draft)
    totals = result.brief.totals
    assert (totals.killed.low, totals.wounded.low, totals.arrested.low) == (7, 1, 8)
    assert totals.killed.high == 7 and totals.arrested.high == 8
    assert not [f for f in result.flags if f.code in ("quote_not_found", "count_unsupported")]
    assert all(e.match == "exact" for c in result.brief.casualties for e in c.evidence)


def test_seed_attribution_actors_and_significance(seed: Article) -> None:
    draft = rules_draft(seed)
    palmyra = [c for c in draft.casualties if c.location == "Palmyra"]
    assert {c.perpetrator for c in palmyra} == {"Islamic State"}
    assert {c.attribution.value for c in palmyra} == {"attributed"}
    assert [c.attribution.value for c in draft.casualties if c.location == "Idlib"] == [
        "unclaimed"]
    actors = {a.name: a for a in draft.actors}
    assert {"Ahmed al-Sharaa", "Donald Trump", "Islamic State"} <= set(actors)
    assert {"IS", "Daesh"} <= set(actors["Islamic State"].aliases)
    assert actors["Donald Trump"].kind.value == "person"
    assert draft.diplomatic_significance.level.value in ("moderate", "high")
    assert draft.headline.startswith("Syrian President Al-Sharaa Reaches Out")


def test_backend_interface(seed: Article) -> None:
    backend = resolve_backend("rules")
    assert isinstance(backend, RulesBackend) and isinstance(backend, Backend)
    assert (backend.name, backend.remote, backend.model) == ("rules", False, "rules-v1")
    ext = backend.extract(seed, load_prompt(), Settings())
    assert ext.draft == rules_draft(seed)  # deterministic
    assert ext.usage.total_tokens == 0 and ext.attempts == 1


# --- sentences and names -------------------------------------------------------------------


def test_sentences_are_verbatim_and_bounded() -> None:
    text = ("The U.S. envoy met Mr. Smith on Monday. " + "A long clause, " * 30 +
            "and the end.\nA new line starts here.")
    pieces = sentences(text)
    assert pieces[0].text == "The U.S. envoy met Mr. Smith on Monday."
    assert all(text[p.start:p.end] == p.text and len(p.text) <= 300 for p in pieces)
    assert pieces[-1].text == "A new line starts here."


def test_name_candidates() -> None:
    text = ("The attack was attributed to the Islamic State (IS). President Ahmed al-Sharaa "
            "wrote to Trump. Al-Sharaa's interior ministry said armed assailants opened fire.")
    found = {c.text: c for c in name_candidates(text)}
    assert found["Islamic State"].aliases == ["IS"]
    assert found["Ahmed al-Sharaa"].kind == "person"
    assert found["interior ministry"].kind == "government body"
    assert found["armed assailants"].kind == "armed group"
    assert "The" not in found and "President" not in found


# --- counts: one constructed sentence per pattern -----------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Gunfire killed 12 people on Monday.", [("killed", 12, "victims", False)]),
    ("At least twenty-three civilians died in the blast.", [("killed", 23, "victims", False)]),
    ("Gunmen opened fire, killing four officers and wounding a fifth.",
     [("killed", 4, "victims", False), ("wounded", 1, "victims", False)]),
    ("Dozens of people were injured.", [("wounded", 24, "victims", False)]),
    ("Three gunmen were killed by troops.", [("killed", 3, "attackers", False)]),
    ("Two soldiers and three of the attackers were killed.",
     [("killed", 2, "victims", False), ("killed", 3, "attackers", False)]),
    ("Police arrested three suspects and detained five others, bringing the total "
     "number of arrests to eight.",
     [("arrested", 3, "victims", False), ("arrested", 5, "victims", False),
      ("arrested", 8, "victims", True)]),
    # "hurt" covers the dead and the injured: none of either
    ("Nobody was hurt.", [("killed", 0, "victims", False), ("wounded", 0, "victims", False)]),
    ("The drugs weighed 4,100 kilograms and the suspects were aged between 23 and 41.", []),
    ("The network was defeated in 2019.", []),
    ("Eleven people drowned and more than twenty are missing.",
     [("killed", 11, "victims", False)]),
    # ages, storeys and other events are not figures of this one (the driver is one, not 44)
    ("The driver, Wilner Jean-Baptiste, 44, was shot dead.", [("killed", 1, "victims", False)]),
    ("The dead were a woman and her daughters, aged six and eleven.",
     [("killed", 1, "victims", True)]),
    ("Rescuers searched the rubble of a nine-storey building for the dead.", []),
    ("More than 5,000 people were killed in gang violence last year.", []),
    ("Strikes there since 2021 have killed 24 people.", []),
    ("The insurgency, which began in 2017, has killed thousands of people.", []),
    ("The bombing, the deadliest in 2026, killed 24 people.", [("killed", 24, "victims", False)]),
    ('The screen read: "OUTPUT 500 KILLED. THE GOVERNMENT IS HIDING THE TOLL."', []),
])
def test_count_patterns(text: str, expected: list[tuple[str, int, str, bool]]) -> None:
    assert _counts(text) == expected


def test_count_qualifiers_and_groups() -> None:
    cands = count_candidates("At least 12 soldiers were killed and about 30 civilians were "
                             "wounded.")
    assert [(c.value, c.mention.qualifier, c.group) for c in cands] == [
        (12, Qualifier.at_least, "soldiers"), (30, Qualifier.approximately, "civilians")]


def test_arrest_statuses() -> None:
    text = ("Police arrested four men. Two were charged with murder. Three others were "
            "released on bail. Six people were detained for questioning.")
    assert [(c.value, c.status) for c in count_candidates(text)] == [
        (4, ArrestStatus.arrested), (2, ArrestStatus.charged), (3, ArrestStatus.released),
        (6, ArrestStatus.detained)]
    draft = rules_draft(_article(text))
    assert ground(_article(text), draft).brief.totals.arrested.low == 10  # arrested + detained


def test_attackers_stay_out_of_the_victims_total() -> None:
    text = ("Militants stormed a checkpoint, killing five soldiers. Three gunmen were killed "
            "in the fighting.")
    draft = rules_draft(_article(text))
    sides = sorted((c.side, c.killed.value) for c in draft.casualties if c.killed)
    assert sides == [(Side.attackers, 3), (Side.victims, 5)]
    assert ground(_article(text), draft).brief.totals.killed.low == 5


def test_repeated_figure_is_one_record() -> None:
    text = "At least eleven people drowned on Thursday. Divers recovered eleven bodies."
    draft = rules_draft(_article(text))
    assert [(c.killed.value, c.killed.qualifier) for c in draft.casualties if c.killed] == [
        (11, Qualifier.at_least)]


def test_a_stated_toll_is_not_summed_with_its_restatements() -> None:
    text = ("Drones killed a total of eight people overnight. By morning the governor had said "
            "six people were dead. Four of them died in the apartment block, among them a "
            "child.")
    cands = count_candidates(text)
    # "among them a child" is a part of the four: not read ("a" is one only in its own part
    # of the clause, and a part is never a record anyway).
    assert [(c.value, c.total, c.subset) for c in cands if c.outcome == "killed"] == [
        (8, True, False), (6, False, False), (4, False, False)]
    draft = rules_draft(_article(text))
    assert [c.killed.value for c in draft.casualties if c.killed] == [8]
    assert ground(_article(text), draft).brief.totals.killed.low == 8


def test_a_toll_its_parts_add_up_to_keeps_the_parts() -> None:
    text = ("Gunmen killed a total of seven people. Four soldiers and three civilians were "
            "killed at the checkpoint.")
    draft = rules_draft(_article(text))
    assert sorted(c.killed.value for c in draft.casualties if c.killed) == [3, 4]
    assert ground(_article(text), draft).brief.totals.killed.low == 7


def test_parts_with_no_stated_toll_are_summed() -> None:
    text = ("Two soldiers were killed in the ambush. Elsewhere, four officers were killed "
            "at a checkpoint.")
    assert ground(_article(text), rules_draft(_article(text))).brief.totals.killed.low == 6


def test_no_figures_no_records() -> None:
    draft = rules_draft(_article("The two leaders met in Geneva for talks on trade."))
    assert draft.casualties == [] and draft.arrests == []


# --- the issue-20 incident reports (evals/incidents/): one class each, read right ------------

INCIDENTS = ROOT / "evals" / "incidents"


def _gold_of_batch_c() -> list[Path]:
    # batch C (c-*): the classes; batch D (d-*): how arrest totals are read
    return sorted([*(INCIDENTS / "gold").glob("c-*.json"), *(INCIDENTS / "gold").glob("d-*.json")])


@pytest.mark.parametrize("path", _gold_of_batch_c(), ids=lambda p: p.stem)
def test_rules_read_the_batch_c_gold_totals(path: Path) -> None:
    """Every class of issue 20 (none stated, dates, clause boundaries, singular and named
    victims, parentheses, background figures, sides, arrests without a figure, sources that
    disagree, an instruction in the article) has a gold article; the rules' totals, all four,
    are its labels."""
    gold = load_gold(path)
    article = load_article(INCIDENTS / "articles" / gold.article)
    totals = ground(article, rules_draft(article)).brief.totals
    assert totals == gold.totals


# --- arrest totals: each figure once ----------------------------------------------------------


def _arrested(text: str) -> int | None:
    totals = ground(_article(text), rules_draft(_article(text))).brief.totals
    return None if totals.arrested is None else totals.arrested.low


@pytest.mark.parametrize(("text", "expected"), [
    # a figure restated later is the same people, as for casualties
    ("Police arrested five men on Monday over the robbery. The five suspects arrested in the "
     "raid were taken to the central police station.", 5),
    ("The prosecutor said five people had been arrested. \"Five people are in custody,\" "
     "she said.", 5),
    ("Nine of the fourteen arrested in the city were charged. Police had arrested fourteen "
     "people in dawn raids.", 14),
    # ... unless the text says they are more
    ("Police arrested five men on Monday. Five more people were arrested on Tuesday.", 10),
    ("Police detained four men on Monday; four others were detained on Tuesday.", 8),
    # a total and its parts: a part is not itself the total of other parts
    ("Police arrested 22 people in four countries. Nine suspects were arrested in the "
     "Netherlands. Seven were arrested in Germany, four in Poland and two in Belgium.", 22),
    # a list of single people is a figure
    ("The captain, the chief engineer and the first officer were arrested.", 3),
    # not arrests: sought, a speaker, a judge they will see
    ("A judge has issued a warrant for his arrest.", None),
    ("Several said they had been beaten in detention centres.", None),
    ("Two men were arrested and will appear before a judge on Friday.", 2),
])
def test_arrest_totals_count_each_figure_once(text: str, expected: int | None) -> None:
    assert _arrested(text) == expected


def test_a_word_for_things_before_a_word_for_people_is_no_measure() -> None:
    # "customs clerks" are people ("customs" alone would read as things)
    assert _counts("Two customs clerks were arrested at their homes.") == [
        ("arrested", 2, "victims", False)]
