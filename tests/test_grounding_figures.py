"""Grounding reads a figure the way the text means it (issue 21): an age, things and a
breakdown are no support for a count, and a figure the sentence ties to one outcome supports no
other. Each case is a small snippet of real phrasing; the assertions are on flags, not floats."""

from summarizer.article import Article
from summarizer.brief import BriefDraft
from summarizer.grounding import ground


def _article(text):
    return Article.from_text(text, title="A title for the test")


def _cas(quote, killed=None, wounded=None, group="people", incident="X", side="victims",
         qualifier="exact"):
    def count(v):
        return None if v is None else {"value": v, "qualifier": qualifier}
    quotes = [quote] if isinstance(quote, str) else list(quote)
    return {"incident": incident, "group": group, "side": side, "killed": count(killed),
            "wounded": count(wounded), "evidence": [{"quote": q} for q in quotes]}


def _arrest(quote, count, who="people"):
    return {"who": who, "status": "arrested", "count": {"value": count, "qualifier": "exact"},
            "evidence": [{"quote": quote}]}


def _draft(casualties=(), arrests=()):
    return BriefDraft.model_validate({
        "headline": "h", "summary": "s", "actors": [], "casualties": list(casualties),
        "arrests": list(arrests), "diplomatic_significance": {"level": "none", "evidence": []}})


def _flagged(text, draft):
    return {(f.path, f.code) for f in ground(_article(text), draft).flags}


def test_an_age_is_no_count():
    text = ("The driver, Wilner Jean-Baptiste, 44, was shot dead when he tried to turn the bus "
            "around. Six adults were arrested and two 17-year-olds were detained.")
    quote = "The driver, Wilner Jean-Baptiste, 44, was shot dead"
    teens = "Six adults were arrested and two 17-year-olds were detained"
    assert not _flagged(text, _draft([_cas(quote, killed=1, group="bus driver")],
                                     [_arrest(teens, 2, who="17-year-olds")]))
    flags = ground(_article(text), _draft([_cas(quote, killed=44, group="bus driver")],
                                          [_arrest(teens, 17, who="17-year-olds")])).flags
    assert {(f.path, f.code) for f in flags} == {("casualties[0].killed", "count_unsupported"),
                                                 ("arrests[0].count", "count_unsupported")}
    # The flag still tells what the quote says.
    assert '"The driver" killed' in flags[0].message and "the brief says 44 killed" in \
        flags[0].message


def test_things_are_no_count_but_a_clause_subject_is():
    text = ("Nineteen people were arrested at three laboratories in the hills east of Culiacán. "
            "Police detained 18 people in raids in Ankara, Istanbul and three other provinces. "
            "Three rescuers from the State Emergency Service were wounded in the second strike.")
    labs = "Nineteen people were arrested at three laboratories in the hills"
    raids = "Police detained 18 people in raids in Ankara, Istanbul and three other provinces"
    rescuers = "Three rescuers from the State Emergency Service were wounded"
    right = _draft([_cas(rescuers, wounded=3, group="rescuers")],
                   [_arrest(labs, 19), _arrest(raids, 18, who="suspects")])
    assert not _flagged(text, right)
    wrong = _draft([], [_arrest(labs, 3), _arrest(raids, 3, who="suspects")])
    assert _flagged(text, wrong) == {("arrests[0].count", "count_unsupported"),
                                     ("arrests[1].count", "count_unsupported")}


def test_a_breakdown_is_not_the_total_nor_added_to_it():
    text = ("The camp committee said 31 people were killed, nine of them children. "
            "Police said two protesters had died, one of them after being hit by a brick. "
            "Police also arrested four people, among them two relatives of inmates.")
    camp = "said 31 people were killed, nine of them children"
    dhaka = "two protesters had died, one of them after being hit by a brick"
    arrests = "Police also arrested four people, among them two relatives of inmates"
    right = _draft([_cas(camp, killed=31, group="camp residents"),
                    _cas(camp, killed=9, group="children"),
                    _cas(dhaka, killed=2, group="protesters", incident="Y")],
                   [_arrest(arrests, 4)])
    assert not _flagged(text, right)
    wrong = _draft([_cas(camp, killed=9, group="camp residents"),
                    _cas(dhaka, killed=3, group="protesters", incident="Y"),
                    _cas(dhaka, killed=1, group="demonstrators", incident="Z")],
                   [_arrest(arrests, 6)])
    assert _flagged(text, wrong) == {("casualties[0].killed", "count_unsupported"),
                                     ("casualties[1].killed", "count_unsupported"),
                                     ("casualties[2].killed", "count_unsupported"),
                                     ("arrests[0].count", "count_unsupported")}


def test_a_breakdown_by_place_is_the_count_of_the_incident_it_names():
    text = ("Nineteen people died in the two blasts, the commissioner said. The toll did not "
            "include the three attackers killed — one bomber at the market and two men at the "
            "checkpoint.")
    quote = "the three attackers killed — one bomber at the market and two men at the checkpoint"
    def draft(market, checkpoint):
        return _draft([
            _cas(quote, killed=market, group="attackers", side="attackers",
                 incident="cattle market bombing"),
            _cas(quote, killed=checkpoint, group="attackers", side="attackers",
                 incident="road checkpoint bombing")])
    assert not _flagged(text, draft(1, 2))
    assert _flagged(text, draft(2, 1)) == {("casualties[0].killed", "count_unsupported"),
                                           ("casualties[1].killed", "count_unsupported")}


def test_a_figure_its_sentence_ties_to_one_outcome_supports_no_other():
    text = ("Fourteen others were wounded — five guards and nine inmates — and were taken to "
            "hospital. The dead were the bus conductor and two passengers.")
    guards = "five guards and nine inmates"
    passengers = "the bus conductor and two passengers"
    assert not _flagged(text, _draft([_cas(guards, wounded=5, group="guards"),
                                      _cas(passengers, killed=2, group="passengers")]))
    assert _flagged(text, _draft([_cas(guards, killed=5, group="guards"),
                                  _cas(passengers, wounded=2, group="passengers")])) == {
        ("casualties[0].killed", "count_unsupported"),
        ("casualties[1].wounded", "count_unsupported")}
