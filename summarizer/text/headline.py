"""Reading a headline: the toll it states, in a headline's own grammar.

A headline drops articles and auxiliaries and joins its clauses with commas ("3 dead, 2 hurt
in Fresno shooting", "Teen killed, two others wounded in drive-by", "Two killed as gunmen
storm village", "Man dies after being shot"). `headline_figures(title)` rewrites each clause
into the sentence it abbreviates ("A teen was killed. Two others were wounded in drive-by.")
and reads that with the incident-level reading (`tally.incident_counts`), so a headline's
figures are read by the same rules as the body's. The figures' offsets index the rewritten
text, not the title: a caller quotes the title itself.

A headline that recalls an earlier event ("Ten years after mall attack that killed 67",
"Ex-soldier convicted of killing 5 civilians") or rounds up a period or a place's toll
("Weekend violence: 11 shot across city") states no figure of the story's incident: it gives
none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..brief import Side
from .counts import CountCandidate
from .numbers import NumberKind
from .tally import incident_counts

__all__ = ["disagrees", "headline_figures", "headline_sentences", "recalls_or_rounds_up"]

MAX_TITLE = 300  # past this it is no headline (a first paragraph taken for one)

# Where a headline's clauses meet: punctuation, a dash or bar, and the words that join an
# event to its circumstance ("as gunmen storm", "after being shot", "while ...").
_JOINT = re.compile(r"\s*[;:]\s+|\s*,\s+(?!(?:kill|wound|injur|hurt|leav|left)\w*\b|and\b)|"
                    r"\s+[-–—|/]\s+|\s+(?=(?:as|after|while|when|amid|following)\s)", re.I)
_LEAD = re.compile(r"^(?:as|after|while|when|amid|following)\s+", re.I)
_NUMBER = (r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
           r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
           r"forty|fifty|dozens|scores|hundreds|several|many|some)")
_ORDINAL = r"(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
# A participle that tells a casualty, bare as headlines write it ("Two killed")
_PARTICIPLE = (r"(?:died|killed|hurt|injured|wounded|shot(?:\s+dead)?|stabbed(?:\s+to\s+death)?|"
               r"slain|murdered|hospitali[sz]ed|critically\s+(?:hurt|injured|wounded)|"
               r"seriously\s+(?:hurt|injured|wounded)|found\s+dead|gunned\s+down)")
# "three including attacker": the attacker among them
_INCLUDING = re.compile(r"\b(including|among\s+them)\s+(?=(?:attacker|bomber|gunman|assailant|"
                        r"shooter|perpetrator)s?\b)", re.I)
_AGE = re.compile(r"\s*(?:,\s*\d{1,3}\s*,|\(\d{1,3}\))(?=\s)")
_DIES = re.compile(r"\b(?:dies|die)\b", re.I)  # "Man dies", "Two die": died
# "At least 4", "Two men", "3 police officers": a count and up to three words it counts
_COUNTED = re.compile(rf"^(?P<np>(?:(?:at\s+least|more\s+than|over|nearly|about|up\s+to)\s+)?"
                      rf"{_NUMBER}\b(?:\s+(?!{_PARTICIPLE}\b)[\w'-]+){{0,3}}?)\s+"
                      rf"(?P<v>{_PARTICIPLE})\b", re.I)
# "third wounded", "A third hurt": one more person
_NTH = re.compile(rf"^(?:an?\s+)?(?P<nth>{_ORDINAL})(?:\s+(?P<who>person|man|woman|victim|"
                  rf"officer|child|teen|boy|girl))?\s+(?P<v>{_PARTICIPLE})\b", re.I)
# "Teen killed", "Police officer shot dead", "The driver hurt": one person, no number
_ONE = re.compile(rf"^(?:(?P<det>the|a|an|his|her|their)\s+)?(?P<np>(?:[\w'&-]+\s+){{0,4}}?"
                  rf"[\w'-]+)\s+(?P<v>{_PARTICIPLE})\b", re.I)
_AND = re.compile(r"\s+and\s+|\s*&\s*", re.I)
_NOBODY = re.compile(rf"^(?P<np>no\s+one|nobody|none)\s+(?P<v>{_PARTICIPLE}|dead)\b", re.I)
_FATALLY = re.compile(rf"^(?P<n>{_NUMBER})\s+(?:of\s+them\s+)?fatally\b", re.I)
_BARE_NUMBER = re.compile(rf"(?:(?:at\s+least|more\s+than|over|nearly|about|up\s+to)\s+)?"
                          rf"{_NUMBER}", re.I)
# After a verb, an object: the verb is active ("Gunman killed 5", "Police shot a man", "man
# killed estranged wife"); a passive one ends the clause or goes on with a preposition or a
# time ("Teen killed", "Man killed in crash", "Two hurt Sunday")
_PASSIVE_END = re.compile(r"\s*$|\s+(?:in|at|on|near|by|after|as|while|during|outside|inside|"
                          r"when|over|from|with|following|amid|overnight|early|late|today|"
                          r"yesterday|last|this|\w+day|and|or|but|critically|seriously)\b", re.I)
_AUXILIARY = re.compile(r"\b(?:is|are|was|were|been|be|has|have|had)\b", re.I)

# A headline of another time, of a court or of a tally ("Ten years after the bombing that
# killed 67", "Ex-soldier convicted of killing 5", "Weekend violence", "homicides this year").
_RECALLS = re.compile(r"\b(?:years?|months?|decades?|weeks?)\s+(?:after|since|on|later)\b|"
                      r"\banniversary\b|\bremember\w*\b|\bmemorial\b|\blooks?\s+back\b|"
                      r"\b(?:19|20)\d\d\b|"
                      # a court's story: the killings it tries are an earlier incident
                      r"\b(?:accused|convicted|sentenced|jailed|trial|guilty|verdict|acquitted|"
                      r"appeals?|inquest|lawsuit|sues|charged\s+with)\b", re.I)
_ROUNDUP = re.compile(r"\b(?:round-?up|live|latest|updates?|what\s+we\s+know|day\s+\d+|"
                      r"week\s+in|weekend\s+(?:violence|shootings)|across\s+(?:the\s+)?"
                      r"(?:city|country|state|region)|this\s+(?:year|month|week)|so\s+far)\b",
                      re.I)


def recalls_or_rounds_up(title: str) -> bool:
    """Whether a headline recalls an earlier event or rounds up a period or a place: its
    figures are not those of the story's incident."""
    return bool(_RECALLS.search(title) or _ROUNDUP.search(title))


def headline_sentences(title: str) -> str:
    """The headline rewritten as the sentences it abbreviates: one per clause, articles and
    auxiliaries put back ("Teen killed, two others wounded" -> "A teen was killed. Two
    others were wounded.")."""
    out: list[str] = []
    listed: list[str] = []  # "Mother, toddler found dead": people listed before their verb
    title = _AGE.sub(" ", " ".join(title.split()))  # "Woman, 71, dies": an age, no clause
    if _title_case(title):  # "Gunmen Kill 7 Soldiers In Ambush": read as running text
        first, _, rest = title.partition(" ")
        rest = re.sub(r"\b[A-Z][a-z][\w'’-]*", lambda m: m.group().lower(), rest)  # not "IS"
        title = f"{first} {rest}".strip()
    for clause in _JOINT.split(title):
        clause = _LEAD.sub("", clause.strip(" .!?\"'“”‘’")).strip()
        if not clause:
            continue
        if _person_like(clause) and len(clause.split()) <= 3:
            listed.append(clause)
            continue
        out.append(_sentence(clause, bool(out), listed))
        listed = []
    return " ".join(out)


def _title_case(title: str) -> bool:
    """Whether a headline capitalizes its words (nearly every word of four letters or more)."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", title) if len(w) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _sentence(clause: str, after_another: bool, listed: list[str]) -> str:
    clause = _INCLUDING.sub(r"\1 the ", _DIES.sub("died", clause))
    clause = re.sub(rf"\b({_NUMBER})\s+(?=including\b|among\b)", r"\1 people ", clause,
                    flags=re.I)  # "kills three including the attacker": three people
    if _AUXILIARY.search(clause):
        return _capital(clause) + "."
    m = _NOBODY.match(clause)
    if m:
        return f"{_capital(m.group('np'))} was {m.group('v')}{clause[m.end():]}."
    m = _FATALLY.match(clause)
    if m and after_another:  # "4 shot, 1 fatally": one of them died
        return f"{_capital(m.group('n'))} of them died{clause[m.end():]}."
    m = _NTH.match(clause)
    if m:
        who = m.group("who") or "person"
        return f"A {m.group('nth').lower()} {who} {_be(m.group('v'), False)}{clause[m.end():]}."
    m = _COUNTED.match(clause)
    if m and _PASSIVE_END.match(clause, m.end()):
        np, verb = m.group("np"), m.group("v")
        if _BARE_NUMBER.fullmatch(np) and verb.lower() == "shot":
            np += " people"  # "4 shot": four people were shot
        one = bool(re.match(r"(?:one|1)\b", np, re.I))
        return f"{_capital(np)} {_be(verb, not one)}{clause[m.end():]}."
    m = _ONE.match(clause)
    if m and _PASSIVE_END.match(clause, m.end()) and not re.match(
            _NUMBER + r"\b", m.group("np"), re.I) and all(
            _person_like(p) for p in _AND.split(m.group("np"))):
        people = [*listed, *_AND.split(m.group("np"))]
        said = " and ".join(_indefinite(p, m.group("det") if k == 0 and not listed else None)
                            for k, p in enumerate(people))
        return f"{_capital(said)} {_be(m.group('v'), len(people) > 1)}{clause[m.end():]}."
    return _capital(clause) + "."


def _be(verb: str, plural: bool) -> str:
    """The verb with the auxiliary a headline drops ("killed" -> "were killed"; "died")."""
    if verb.lower() in ("died", "dead"):
        return verb.lower()
    return f"{'were' if plural else 'was'} {verb}"


def _indefinite(np: str, det: str | None) -> str:
    det = (det or "a").lower()
    if det == "a" and np[:1].lower() in "aeiou":
        det = "an"
    return f"{det} {np.lower()}"


# The last word of a noun phrase that names one person (not a place or a thing)
_PERSON = re.compile(r"(?:man|woman|boy|girl|teen|teenager|child|toddler|baby|driver|officer|"
                     r"deputy|trooper|soldier|guard|student|worker|journalist|reporter|"
                     r"mother|father|son|daughter|wife|husband|brother|sister|grandmother|"
                     r"grandfather|pedestrian|cyclist|passenger|victim|resident|suspect|"
                     r"gunman|bystander|cleric|priest|imam|chief|mayor|official|judge|"
                     r"shopkeeper|farmer|policeman|policewoman|\d+-year-old)", re.I)


_PERSON_NOT = re.compile(r"(?:kill\w*|wound\w*|injur\w*|hurt|shot|dead|died|dies|stabbed|"
                         r"arrest\w*|in|at|on|of|after|as|by)", re.I)


def _person_like(np: str) -> bool:
    words = np.split()
    return bool(words) and bool(_PERSON.fullmatch(words[-1])) and not any(
        _PERSON_NOT.fullmatch(w) for w in words)


def _capital(s: str) -> str:
    return s[:1].upper() + s[1:]


def headline_figures(title: str) -> list[CountCandidate]:
    """The killed and wounded figures a headline states for its incident, merged as the
    body's are (see the module's doc); none for a headline that recalls an earlier event or
    rounds up a period, or for one too long to be a headline."""
    title = title.strip()
    if not title or len(title) > MAX_TITLE or recalls_or_rounds_up(title):
        return []
    return [replace(c, side=Side.attackers) if c.side is Side.victims and _THEIRS.search(
        c.group) else c for c in incident_counts(headline_sentences(title)).figures]


# The people of the other side, as a headline names them ("suspect wounded by officer")
_THEIRS = re.compile(r"\b(?:suspects?|gunm[ae]n|shooters?|attackers?|assailants?|bombers?|"
                     r"perpetrators?|hostage-takers?|robbers?)\b", re.I)


def disagrees(figures: Sequence[CountCandidate], low: int, high: int) -> bool:
    """Whether a headline's figures of an outcome disagree with a total `low`..`high`: a
    figure with a number ("Seven killed") when none of them lies in the range; a person told
    without one ("Man killed", "soldier dies") only when the total is smaller -- a headline
    names the people it leads with, not every one."""
    numbered = [c.value for c in figures if c.mention.kind not in _UNNUMBERED]
    if numbered:
        return not any(low <= v <= high for v in numbered)
    named = [c.value for c in figures]
    return bool(named) and high < max(named)


_UNNUMBERED = (NumberKind.indefinite, NumberKind.implied)
