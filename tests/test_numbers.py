import pytest

from summarizer.brief import Qualifier
from summarizer.text.numbers import NumberKind, find_numbers, parse_number


def _read(text, **kw):
    return [(m.text, m.low, m.high, m.qualifier.value) for m in find_numbers(text, **kw)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12), ("1,200", 1200), ("2.5 million", 2_500_000), ("3 thousand", 3000),
        ("four", 4), ("Twenty-three", 23), ("twenty three", 23), ("a dozen", 12),
        ("two dozen", 24), ("half a dozen", 6), ("a hundred and five", 105),
        ("one hundred twenty", 120), ("two thousand", 2000), ("none", 0), ("no one", 0),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value
    [mention] = find_numbers(text)
    assert (mention.low, mention.high, mention.value) == (value, value, value)


def test_parse_number_refuses_non_numbers_and_fractions():
    assert parse_number("officers") is None
    assert parse_number("1.5") is None
    assert parse_number("") is None


def test_mentions_carry_spans_into_the_text():
    text = "claimed the lives of two U.S. service members and one local interpreter"
    two, one = find_numbers(text)
    assert (two.value, text[two.start:two.end]) == (2, "two")
    assert (one.value, text[one.start:one.end]) == (1, "one")
    assert two.kind is NumberKind.words


@pytest.mark.parametrize(
    ("text", "qualifier", "value"),
    [
        ("at least 12 people", Qualifier.at_least, 12),
        ("more than 40 were hurt", Qualifier.at_least, 40),
        ("12 or more", Qualifier.at_least, 12),
        ("about 30", Qualifier.approximately, 30),
        ("nearly forty", Qualifier.approximately, 40),
        ("some 30 or so", Qualifier.approximately, 30),
        ("up to 5", Qualifier.up_to, 5),
        ("as many as a dozen", Qualifier.up_to, 12),
        ("exactly 7", Qualifier.exact, 7),
    ],
)
def test_qualifiers_are_read_and_included_in_the_span(text, qualifier, value):
    [mention] = find_numbers(text)
    assert (mention.qualifier, mention.value) == (qualifier, value)
    if qualifier is not Qualifier.exact:
        assert len(mention.text.split()) > 1  # the qualifier is part of the span


def test_ordinal_after_a_is_one_more():
    four, fifth = find_numbers("killing four officers and wounding a fifth")
    assert (four.value, four.kind) == (4, NumberKind.words)
    assert (fifth.value, fifth.kind, fifth.ordinal, fifth.text) == (
        1, NumberKind.ordinal, 5, "a fifth")


def test_ordinals_that_are_not_counts():
    assert find_numbers("a fifth of the vote") == []
    assert find_numbers("for a second time") == []
    assert find_numbers("the fifth officer") == []


def test_vague_amounts_are_ranges():
    assert _read("dozens were killed and hundreds fled") == [
        ("dozens", 24, 99, "exact"), ("hundreds", 200, 999, "exact")]
    [tens] = find_numbers("tens of thousands fled")
    assert (tens.low, tens.high, tens.kind, tens.value) == (20_000, 99_999, NumberKind.vague, None)
    [several] = find_numbers("at least several")
    assert several.qualifier is Qualifier.at_least and several.is_range


def test_ranges():
    assert _read("between 10 and 20 died, 10-20, four or five, 3 to 6") == [
        ("between 10 and 20", 10, 20, "exact"), ("10-20", 10, 20, "exact"),
        ("four or five", 4, 5, "exact"), ("3 to 6", 3, 6, "exact")]
    [r] = find_numbers("four or five")
    assert r.contains(4) and r.contains(5) and not r.contains(6)


def test_parts_joined_by_and_stay_apart():
    assert [m.value for m in find_numbers("two soldiers and one interpreter")] == [2, 1]
    assert [m.value for m in find_numbers("three arrested and five detained")] == [3, 5]


def test_measures_and_clock_times():
    pct, age = find_numbers("30% of voters and a 12-year-old")
    assert (pct.value, pct.measure, age.value, age.measure) == (30, "percent", 12, "age")
    assert [m.value for m in find_numbers("at 10:30 on 12/5")] == []


def test_indefinite_article_is_opt_in():
    assert find_numbers("a soldier was killed") == []
    [a] = find_numbers("a soldier was killed", indefinite=True)
    assert (a.value, a.kind, a.text) == (1, NumberKind.indefinite, "a")
    # fixed phrases are not "one"
    assert [m.kind for m in find_numbers("a few people", indefinite=True)] == [NumberKind.vague]


def test_an_over_greedy_word_run_is_split():
    assert [m.value for m in find_numbers("three four")] == [3, 4]


def test_zero_words():
    assert [m.value for m in find_numbers("no one was hurt; there were no casualties")] == [0, 0]
    assert find_numbers("no group has claimed it") == []
