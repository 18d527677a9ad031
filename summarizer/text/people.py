"""Figures count_candidates does not read, read by the incident-level reading (issue 33).

    shot_figures   people shot (casualties, dead and wounded together): "Nine people were
                   shot", "Two deputies and three other people were shot", "found five
                   people suffering from gunshot wounds", "shooting four people"
    listed_people  people listed without a number: "A mother and her toddler were found
                   dead", "Ana Ruiz and Tom Lee, who ..., were pronounced dead", "fatally shot
                   his estranged wife and her mother", "a village chief and his two sons"
    more_people    one more person: "another officer was injured", "a third person ... was
                   grazed by a bullet", "shot his neighbour dead"
    own_deaths     the perpetrator's own death: "turned the gun on himself", "before taking
                   his own life", "blew himself up"
    zeros_both     "neither deaths nor injuries were reported": killed 0 and wounded 0

Each returns `CountCandidate`s with offsets into the whole text; outcome "shot" for people
shot.
"""

from __future__ import annotations

import re
from functools import cache

from ..brief import Qualifier, Side
from .context import PERSON_HEAD
from .counts import CountCandidate
from .cues import ARMED, PERSON_NOUNS
from .numbers import NumberKind, NumberMention, find_numbers
from .sentences import Sentence

__all__ = ["NEGATED", "SHOT_NOUN", "SHOT_PASSIVE", "attacker_included", "injured_uncounted",
           "listed_people", "mention", "more_people", "own_deaths", "shot_figures", "zeros_both"]

SHOT_PASSIVE = re.compile(r"\s*\b(?:were|was|had\s+been|have\s+been|has\s+been|are|got|being)\s+"
                           r"(?:also\s+|all\s+|reportedly\s+)?(?:shot|stabbed|hit|struck)\b"
                           r"(?!\s+(?:dead|and\s+killed|to\s+death|down\s+and\s+killed))", re.I)
# "Two men were stabbed, one fatally": the dead among people shot or stabbed
_FATALLY = re.compile(r",\s*(?P<n>one|two|three|four|five|six|\d+)\s+(?:of\s+them\s+)?"
                      r"(?:fatally|mortally)\b", re.I)
SHOT_NOUN = re.compile(r"\b(?:suffering\s+(?:from\s+)?|with\s+)(?:apparent\s+|multiple\s+)?"
                        r"(?:gunshot|stab|knife|bullet)\s+wounds?\b", re.I)
_SHOT_ACTIVE = re.compile(r"\b(?:shooting|shot|wounding)\s+(?=(?:at\s+least\s+|about\s+)?"
                          r"(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                          r"twelve)\b)", re.I)
_SUBJECT_START = re.compile(r"[;:]|(?<![A-Z])\.\s|\b(?:when|after|as|and\s+then|while|"
                            r"where|said|says)\b|—|–", re.I)
_KIN = (r"wife|husband|son|daughter|stepson|stepdaughter|girlfriend|boyfriend|fianc[eé]e?|"
        r"partner|grandson|granddaughter|aunt|uncle|nephew|niece|cousin|in-laws?")
_SINGLE = (r"(?:(?i:a|an|the|his|her|their|its|one|two|three|four|five|six|seven|eight|nine|"
           r"ten|\d+)\s+(?:[\w'’-]+\s+){0,2}?"
           rf"(?i:{PERSON_NOUNS}|{_KIN})\b|[A-Z][\w'’-]*['’]s\s+(?:[\w'’-]+\s+){0,2}?"
           rf"(?:{PERSON_NOUNS})\b|(?<![\w'’-])(?!(?:The|A|An|In|On|At|His|Her|Police)\b)"
           r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+)")
_KILLED_PASSIVE = (r"found\s+dead|pronounced\s+dead|killed|shot\s+dead|stabbed\s+to\s+death|"
                   r"beaten\s+to\s+death|murdered|slain|found\s+(?:shot|stabbed)\s+to\s+death")
_WOUNDED_PASSIVE = r"wounded|injured|hurt"
_ACTIVE_VERBS = (r"(?P<k>killed|killing|kills|fatally\s+(?:shot|stabbed|shooting|stabbing)|"
                 r"shot\s+and\s+killed|shot\s+dead|murdered|murdering|stabbed\s+to\s+death)|"
                 r"(?P<w>wounded|wounding|injured|injuring)")
_LIST_CUE = (rf"\s+(?:were|had\s+been|have\s+been)\s+(?:\w+ly\s+|both\s+|later\s+)?"
             rf"(?P<cue>(?P<k>{_KILLED_PASSIVE})|(?P<w>{_WOUNDED_PASSIVE}))\b")
# The two list patterns carry PERSON_HEAD three times each: ~50 ms to compile and ~70 us a
# sentence to search. Each is compiled and searched only where a sentence has what any match
# of it must have: its cue after "were"/"had been", or a verb, then items, then "and"
# before an item's start (a determiner, a digit or a capital). Items hold no '.', ';' or ':'.
_LIST_MAY = re.compile(rf"\b(?:were|had\s+been|have\s+been)\s+(?:\w+ly\s+|both\s+|later\s+)?"
                       rf"(?:{_KILLED_PASSIVE}|{_WOUNDED_PASSIVE})\b")
_ACTIVE_LIST_MAY = re.compile(
    rf"\b(?:{_ACTIVE_VERBS})\s+[\w\s,'’-]*?\band\s+(?:(?i:a|an|the|his|her|their|its|one|two|"
    rf"three|four|five|six|seven|eight|nine|ten)\s|\d|[A-Z])")


@cache
def _list() -> re.Pattern[str]:
    return re.compile(rf"(?P<np>{_SINGLE}(?:\s*,\s*{_SINGLE})*\s*,?\s+and\s+{_SINGLE})"
                      rf"(?:\s*,[^,;.]{{1,90}},)?{_LIST_CUE}")


@cache
def _active_list() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_ACTIVE_VERBS})\s+(?P<np>{_SINGLE}(?:\s*,\s*{_SINGLE})*\s*,?\s+"
                      rf"and\s+{_SINGLE})")


_ACTIVE_ONE = re.compile(
    rf"\b(?:shot|stabbed|beat|strangled|killed)\s+(?P<np>(?:his|her|their|a|an)\s+(?:[\w'’-]+\s+)"
    rf"{{0,2}}?(?:{PERSON_NOUNS}|neighbou?r|wife|husband|girlfriend|boyfriend|ex-wife|"
    rf"partner|landlord|tenant|roommate|uncle|aunt|grandson|granddaughter))\s+"
    rf"(?:dead|to\s+death)\b", re.I)
_NTH = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8}
_NTH_CASUALTY = re.compile(
    rf"\b[Aa]\s+(?:{'|'.join(_NTH)})\s+(?:person|victim|man|woman|boy|girl|child|"
    rf"passenger|customer|bystander)\b[^.;]{{0,80}}?\b(?:was|were)\s+(?:also\s+|slightly\s+|"
    rf"critically\s+|seriously\s+)?(?:grazed|treated|hospitali[sz]ed|taken\s+to\s+(?:a\s+|the\s+)?"
    rf"hospital|hit)\b")
# "Ruiz's brother ... was also shot in the arm": one wounded (unless the sentence says he died)
_SHOT_IN = re.compile(r"\b(?:was|had\s+been)\s+(?:also\s+)?(?:(?:shot|stabbed|hit|grazed)\s+in\s+"
                      r"(?:the|his|her)\s+(?:arm|leg|hand|foot|shoulder|back|chest|stomach|"
                      r"abdomen|head|neck|hip|thigh|side|face|buttocks?)|(?:struck|hit)\s+by\s+"
                      r"(?:a\s+)?(?:stray\s+)?(?:bullet|gunfire|shrapnel))\b"
                      r"(?![^.;]{0,200}\b(?:died|dead|killed|fatal\w*)\b)", re.I)
_ELLIPSIS = re.compile(
    rf"\b(?:was|were)\s+(?:killed|shot\s+dead|stabbed\s+to\s+death)\s+and\s+(?P<np>(?:his|her|"
    rf"their|the|a|an)\s+(?:[\w'’-]+\s+){{0,2}}?(?:{PERSON_NOUNS}|boyfriend|girlfriend))\s+"
    rf"(?:(?:seriously|critically|slightly|badly)\s+)?(?:injured|wounded|hurt)\b", re.I)
_ANOTHER = re.compile(rf"\b(?:[Aa]nother|[Aa]n\s+additional|[Aa]\s+further)\s+(?:(?:[\w'’-]+\s+)"
                      rf"{{0,2}}?(?:{PERSON_NOUNS})\b[^,;.]{{0,40}}?\s+)?(?:was|had\s+been|has\s+been|is)\s+"
                      rf"(?:also\s+|later\s+|critically\s+|seriously\s+)?"
                      rf"(?:(?P<k>{_KILLED_PASSIVE})|(?P<w>{_WOUNDED_PASSIVE}|shot))\b")
_SELF = re.compile(r"\b(?:(?:police|officers?|troopers?|deputies|soldiers|troops|agents|"
                   r"commandos|security\s+forces)\b[^.;]{0,60}?\b(?:shot|killed)\s+(?:him|her)"
                   r"(?:\s+dead)?\b|turn(?:ed|ing|s)\s+the\s+(?:gun|weapon|rifle|pistol|firearm|knife)\s+on\s+"
                   r"(?:himself|herself)|(?:took|taking|take|takes)\s+(?:(?:his|her)\s+)?own\s+life|"
                   r"(?:killed|shot)\s+(?:himself|herself)|blew\s+(?:himself|herself)\s+up|"
                   r"detonated\s+(?:his|her)\s+(?:explosive\s+|suicide\s+)?(?:vest|belt)|"
                   r"detonated\s+(?:himself|herself)|blew\s+up\s+(?:an?|his|her|the)\s+"
                   r"(?:[\w-]+\s+){0,2}(?:vest|belt)|suicide\s+bomber\s+(?:[\w-]+\s+){0,3}?"
                   r"(?:detonated|blew\s+up|set\s+off|triggered|exploded)|"
                   r"died\s+by\s+suicide|died\s+of\s+a\s+self-inflicted)", re.I)
_TRIED = re.compile(r"\b(?:tried|attempted|threatened|wanted|planned|trying|threatening)\s+"
                    r"(?:to\s+)?$", re.I)
NEGATED = re.compile(r"(?:\bnot|n['’]t|\bnever|\bno\s+longer)\s+(?:\w+\s+){0,2}$", re.I)
_ZERO_BOTH = re.compile(r"\bneither\s+(?:deaths?|fatalities|casualties|injuries)\s+nor\s+"
                        r"(?:deaths?|fatalities|casualties|injuries)\b|\bno\s+(?:one|body)\s+"
                        r"was\s+(?:killed|hurt)\s+or\s+(?:injured|killed|hurt)\b|"
                        r"\bno\s+civilian\s+(?:casualties|deaths\s+or\s+injuries)\b", re.I)
# Injuries told with no figure: "An unspecified number of protesters were injured".
_INJURED_UNCOUNTED = re.compile(
    rf"\b(?:an?\s+)?(?:unspecified|unknown|undisclosed|undetermined)\s+number\s+of\s+"
    rf"(?:[\w'’-]+\s+){{0,2}}?(?P<who>{PERSON_NOUNS})\s+(?:were|was|had\s+been|have\s+been)\s+"
    rf"(?:\w+ly\s+)?(?:injured|wounded|hurt)\b", re.I)
# "killed three people including the bomber": the perpetrator among the dead
_INCLUDING_ATTACKER = re.compile(
    r"[^.;]{0,30}?\b(?:including|among\s+them|among\s+whom)\s+(?:(?P<n>the|one|an?|two|both|"
    r"three)\s+)?(?:suicide\s+)?(?:bomber|attacker|gunm[ae]n|assailant|shooter|perpetrator|"
    r"militant)s?\b", re.I)


def mention(value: int, start: int, end: int, text: str, kind: NumberKind = NumberKind.implied,
             qualifier: Qualifier = Qualifier.exact) -> NumberMention:
    return NumberMention(low=value, high=value, qualifier=qualifier, start=start, end=end,
                         text=text, kind=kind)


_HINT_SHOT = re.compile(r"\bshot\b|\bstabbed\b|\bgunshot|\bshooting\b|\bwounding\b|\bhit\b|"
                        r"\bstruck\b|\bwounds?\b", re.I)
_HINT_LIST = re.compile(r"\band\b", re.I)
_HINT_MORE = re.compile(r"\b(?:another|additional|further|second|third|fourth|fifth|sixth|"
                        r"seventh|eighth|dead|death|shot|stabbed|hit|grazed|struck|killed)\b", re.I)


def shot_figures(masked: str, sent: Sentence) -> list[CountCandidate]:
    """People shot (casualties): "Nine people were shot", "Two deputies and three other
    people were shot", "found five people suffering from gunshot wounds", "shooting four"."""
    s = sent.text
    out: list[CountCandidate] = []
    if not _HINT_SHOT.search(s):
        return out
    # "a"/"an" counts one only beside a figure ("A security guard and four customers were
    # hit": five)
    mentions = [m for m in find_numbers(s, indefinite=True) if m.measure is None and m.low > 0]
    for cue in [*SHOT_PASSIVE.finditer(s), *SHOT_NOUN.finditer(s)]:
        starts = [m.end() for m in _SUBJECT_START.finditer(s, 0, cue.start())]
        begin = starts[-1] if starts else 0
        figures = [m for m in mentions if begin <= m.start < cue.start()
                   and PERSON_HEAD.match(s[m.end:]) is not None
                   and not re.match(r"\s+of\s+(?:the|them|those|whom)\b", s[m.end:])]
        if cue.re is SHOT_NOUN and figures:
            figures = figures[-1:]
        # "The two boys, both students at ...": "both" restates the figure before it
        figures = [m for i, m in enumerate(figures)
                   if not (i and re.fullmatch(r"both|all|each", m.text, re.I))]
        if all(m.kind is NumberKind.indefinite for m in figures):
            figures = []
        if figures:
            value = sum(m.low for m in figures)
            first = figures[0]
            fatal = _FATALLY.match(s, cue.end())
            if fatal:
                dead = next((n.low for n in find_numbers(fatal.group("n"))), 0)
                out.append(CountCandidate(
                    "killed", mention(dead, sent.start + cue.end() + fatal.start("n"),
                                      sent.start + cue.end() + fatal.end("n"), fatal.group("n"),
                                      NumberKind.words), sent, "people", Side.victims))
            out.append(CountCandidate(
                "shot", mention(value, sent.start + first.start, sent.start + figures[-1].end,
                                 masked[sent.start + first.start:sent.start + figures[-1].end],
                                 first.kind, first.qualifier), sent, "people", Side.victims))
    mentions = [m for m in mentions if m.kind is not NumberKind.indefinite]
    for cue in _SHOT_ACTIVE.finditer(s):
        m = next((m for m in mentions if m.start >= cue.end() and m.start - cue.end() < 12), None)
        if m is not None and PERSON_HEAD.match(s[m.end:]) and not re.search(
                r"\bto\s+death\b|\bdead\b", s[m.end:m.end + 40]):
            out.append(CountCandidate("shot", mention(m.low, sent.start + m.start,
                                                       sent.start + m.end, m.text, m.kind,
                                                       m.qualifier), sent, "people",
                                      Side.victims))
    return out


def listed_people(sent: Sentence) -> list[CountCandidate]:
    """People listed without a number: "A mother and her toddler were found dead" (2), "Ana
    Ruiz and Tom Lee, who ..., were pronounced dead" (2), "fatally shot his estranged wife and
    her mother" (2)."""
    out: list[CountCandidate] = []
    if not _HINT_LIST.search(sent.text):
        return out
    found = [*(_list().finditer(sent.text) if _LIST_MAY.search(sent.text) else ()),
             *(_active_list().finditer(sent.text) if _ACTIVE_LIST_MAY.search(sent.text)
               else ())]
    for m in found:
        items = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m.group("np"))
        items = [i for i in items if i.strip()]
        if len(items) < 2 or any(re.search(r"(?:people|children|men|women|others|police)$", i,
                                           re.I) for i in items):
            continue
        outcome = "killed" if m.group("k") else "wounded"
        # "a village chief and his two sons": an item with a figure of its own counts it
        figures = [[n.low for n in find_numbers(i) if n.measure is None] for i in items]
        if all(figures):
            continue  # "four soldiers and three civilians": count_candidates reads each
        size = sum(max(f or [1]) for f in figures)
        out.append(CountCandidate(outcome, mention(size, sent.start + m.start("np"),
                                                    sent.start + m.end("np"), m.group("np")),
                                  sent, "people", Side.victims, implied=True))
    return out


def more_people(sent: Sentence) -> list[CountCandidate]:
    """One more person: "another officer was injured", "a third person, a 15-year-old boy,
    was grazed by a bullet"."""
    out = []
    for m in _ACTIVE_ONE.finditer(sent.text):  # "shot his neighbour dead"
        out.append(CountCandidate("killed", mention(1, sent.start + m.start("np"),
                                                     sent.start + m.end("np"), m.group("np")),
                                  sent, "person", Side.victims, implied=True))
    for m in _ELLIPSIS.finditer(sent.text):  # "a woman was killed and her boyfriend injured"
        out.append(CountCandidate("wounded", mention(1, sent.start + m.start("np"),
                                                     sent.start + m.end("np"), m.group("np")),
                                  sent, "person", Side.victims, implied=True))
    for m in _SHOT_IN.finditer(sent.text):
        out.append(CountCandidate("wounded", mention(1, sent.start + m.start(),
                                                     sent.start + m.end(), m.group()),
                                  sent, "person", Side.victims, implied=True))
    for m in _NTH_CASUALTY.finditer(sent.text):
        out.append(CountCandidate("wounded", mention(1, sent.start + m.start(),
                                                      sent.start + m.start() + 7, "another"),
                                  sent, "people", Side.victims, implied=True))
    for m in _ANOTHER.finditer(sent.text):
        outcome = "killed" if m.group("k") else "wounded" if m.group("w") != "shot" else "shot"
        out.append(CountCandidate(outcome, mention(1, sent.start + m.start(),
                                                    sent.start + m.start() + 7, m.group()[:7]),
                                  sent, "people", Side.victims, implied=True))
    return out


_HINT_TREATED = re.compile(r"\btreated\b|\bhospitali[sz]ed\b|\badmitted\b", re.I)
# People treated for an injury are wounded: "Twelve other people were treated for burns",
# "three were hospitalized with gunshot wounds"
_TREATED = re.compile(r"\b(?:were|was|have\s+been|had\s+been|are\s+being|were\s+being|"
                      r"being)\s+(?:treated|hospitali[sz]ed|admitted(?:\s+to\s+(?:the\s+|a\s+)?"
                      r"hospital)?)\s+(?:[\w-]+\s+){0,3}?(?:for|with)\s+(?:[\w-]+\s+){0,2}?"
                      r"(?:burns?|injuries|injury|wounds?|fractures?|cuts|smoke\s+inhalation|"
                      r"shrapnel|bruises|broken\s+bones)\b", re.I)


def treated_figures(sent: Sentence) -> list[CountCandidate]:
    """People treated for an injury, told with a number ("Twelve other people were treated
    for burns and smoke inhalation"): wounded."""
    s = sent.text
    out: list[CountCandidate] = []
    if not _HINT_TREATED.search(s):
        return out
    mentions = [m for m in find_numbers(s) if m.measure is None and m.low > 0]
    for cue in _TREATED.finditer(s):
        starts = [m.end() for m in _SUBJECT_START.finditer(s, 0, cue.start())]
        begin = starts[-1] if starts else 0
        figures = [m for m in mentions if begin <= m.start < cue.start()
                   and (PERSON_HEAD.match(s[m.end:]) is not None
                        or not s[m.end:cue.start()].strip())
                   and not re.match(r"\s+of\s+(?:the|them|those|whom)\b", s[m.end:])]
        if figures:
            m = figures[-1]
            out.append(CountCandidate("wounded", mention(m.low, sent.start + m.start,
                                                         sent.start + m.end, m.text, m.kind,
                                                         m.qualifier), sent, "people",
                                      Side.victims))
    return out


# One person told dead with no number: "The man died at the scene", "his wife was pronounced
# dead", "a 19-year-old later died in hospital", "A bouncer was shot and killed", "The guard,
# Samuel Otieno, 52, died", "the man who shot him was killed" (the count candidates read
# some of these; a word for one person or a role of one: any singular noun)
_DIED_ONE = re.compile(
    rf"\b(?P<np>(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir)\s+(?:[\w'’-]+\s+){{0,3}}?"
    rf"(?:(?i:{PERSON_NOUNS})|{_KIN}|mother|father|brother|sister|victim|\d+-year-old|"
    rf"(?P<role>[a-z][a-z'’-]+)))"
    rf"(?:\s+who\s+(?P<rel>[^,;.]{{1,40}}?)|\s*,(?:[^,;.]{{1,40}},){{1,3}})?"
    rf"\s+(?:(?:later|also|subsequently)\s+)?(?:died|(?:was|has\s+been)\s+"
    rf"(?:(?:pronounced|declared|confirmed)\s+dead|shot\s+and\s+killed|shot\s+dead|"
    rf"fatally\s+(?:shot|stabbed|wounded|injured)|killed|stabbed\s+to\s+death|gunned\s+down|"
    rf"beaten\s+to\s+death))\b(?!\s+(?:down|out|away)\b)")
# a relative clause that makes the one who died the attacker: "the man who shot him"
_WHO_ATTACKED = re.compile(r"\b(?:shot|opened\s+fire|fired|attacked|stabbed|killed|"
                           r"ambushed)\b", re.I)
# a word for one person by a role, when no word of cues.PERSON_NOUNS: a noun of an agent
# ("bouncer", "cashier", "janitor", "pharmacist", "physician", "attendant", "resident",
# "trainee", "waitress") or one of a few roles -- never a thing ("the engine died", "the
# proposal was killed", "the border", "the incident")
_ROLE = re.compile(r"[a-z'’-]{2,}(?:er|or|ist|ian|ant|ent|ee|ess)|deputy|clerk|chef|cook|nurse|"
                   r"pilot|coach|kid|teen|adult|spouse|fianc[eé]e?|colleague|relative|"
                   r"hostage|inmate|detainee|gunman|suspect|youngster|toddler|infant|baby",
                   re.I)
_NOT_ROLE = re.compile(r"(?:.*ment|.*ness|career|order|number|power|water|computer|paper|"
                       r"river|tower|theat(?:er|re)|cent(?:er|re)|chapter|matter|letter|"
                       r"border|corner|summer|winter|trailer|container|shelter|quarter|"
                       r"encounter|register|disaster|floor|door|motor|sector|factor|error|"
                       r"mirror|colou?r|labou?r|tractor|reactor|monitor|corridor|elevator|"
                       r"generator|interior|exterior|behaviou?r|rumou?r|humou?r|wrist|list|"
                       r"fist|mist|twist|plant|grant|event|accident|incident|agreement|"
                       r"percent|content|talent|comment|moment|element|segment|current|"
                       r"parent\w+|referee\w+|guarantee|committee|fee|coffee|tree|"
                       r"business|process|access|address|success|progress|mattress|"
                       r"congress|fortress|press|stress|dress|mess|less|weather|answer|"
                       r"cancer|danger|anger|hunger|murder|shooter\w+|fever|silver|offer|"
                       r"character|cluster|poster|sticker|scooter|charger|speaker\w+)",
                       re.I)


def died_ones(sent: Sentence) -> list[CountCandidate]:
    """One person told dead with no number ("The man died at the scene"): killed 1."""
    out = []
    for m in _DIED_ONE.finditer(sent.text):
        head = m.group("np").split()[-1].lower()
        if NEGATED.search(sent.text[:m.start()]) or re.fullmatch(
                r"people|persons|men|women|children|police|staff|personnel|crew|.*[^s]s", head):
            continue  # one person only: "the militants died" is a figure of its own
        if m.group("role") and (not _ROLE.fullmatch(head) or _NOT_ROLE.fullmatch(head)):
            continue  # "the engine died": no person
        side = Side.attackers if ARMED.search(m.group("np")) or (
            m.group("rel") and _WHO_ATTACKED.search(m.group("rel"))) else Side.victims
        out.append(CountCandidate("killed", mention(1, sent.start + m.start("np"),
                                                     sent.start + m.end("np"), m.group("np")),
                                  sent, head, side, implied=True))
    return out


def own_deaths(sent: Sentence) -> list[CountCandidate]:
    out = []
    for m in _SELF.finditer(sent.text):
        if _TRIED.search(sent.text[:m.start()]) or NEGATED.search(sent.text[:m.start()]):
            continue
        out.append(CountCandidate("killed", mention(1, sent.start + m.start(),
                                                     sent.start + m.end(), m.group()),
                                  sent, "perpetrator", Side.attackers, implied=True))
    return out


def injured_uncounted(whole: list[Sentence]) -> Sentence | None:
    """The first sentence telling injuries of people (not of armed men) with no figure."""
    return next((s for s in whole for m in _INJURED_UNCOUNTED.finditer(s.text)
                 if not ARMED.search(m.group("who"))), None)


def attacker_included(sent: Sentence, end: int) -> int:
    """How many perpetrators the figure ending at `end` (sentence offset) counts among the
    dead: "killed three people including the bomber" (1), "Four people, including one
    assailant" (1), "including both gunmen" (2); 0 for none."""
    m = _INCLUDING_ATTACKER.match(sent.text, end)
    if m is None:
        return 0
    return {"two": 2, "both": 2, "three": 3}.get((m.group("n") or "").lower(), 1)


def zeros_both(sent: Sentence) -> list[CountCandidate]:
    out = []
    for m in _ZERO_BOTH.finditer(sent.text):
        for outcome in ("killed", "wounded"):
            mention = NumberMention(low=0, high=0, qualifier=Qualifier.exact,
                                    start=sent.start + m.start(), end=sent.start + m.end(),
                                    text=m.group(), kind=NumberKind.words)
            out.append(CountCandidate(outcome, mention, sent, "", Side.victims))
    return out


# --- the reading ------------------------------------------------------------------------------
