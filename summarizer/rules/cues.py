"""The cues the rules read an article by: events, dates, attribution, who said it, who
arrested, places, diplomacy, nationalities; and the small text helpers built on them."""

from __future__ import annotations

import re

from ..brief import ActorKind

__all__ = ["ARRESTERS", "ATTRIBUTED", "ATTRIBUTED_BY", "CLAIMED", "COUNTRIES", "DATE_TEXT",
           "DEMONYM", "DIPLOMATIC", "EVENT", "ISO_DATE", "KINDS", "PLACE_AFTER", "PRONOUN_SAID",
           "SUSPECTED", "UNCLAIMED", "cut_at_word", "event_word", "said_by", "subject"]

EVENT = re.compile(r"\b(attack|assault|ambush|bombings?|blast|explosion|shooting|raid|clash\w*|"
                    r"capsiz\w*|crash|fire|strike|siege|stampede|collapse|flood\w*|seizure|"
                    r"haul|protest)\b", re.I)
DATE_TEXT = re.compile(r"\b(?:on|last|this|early|late)\s+(?:(?:Monday|Tuesday|Wednesday|"
                        r"Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|"
                        r"night))?|(?:January|February|March|April|May|June|July|August|"
                        r"September|October|November|December)\s+\d{1,2}|week|month|night)\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ATTRIBUTED = re.compile(r"\b(?:attributed|blamed)\b[^.;]{0,40}?\b(?:to|on)\b", re.I)
ATTRIBUTED_BY = re.compile(
    r"((?:[A-Z][\w.]*\s+)?(?:officials|authorities|police|army|military|government|ministry|"
    r"prosecutors))\s+(?:have\s+|has\s+|had\s+)?(?:attributed|blamed)", re.I)
UNCLAIMED = re.compile(r"\b(?:no|nobody|no\s+one|not)\b[^.;]{0,30}\bclaimed\b", re.I)
CLAIMED = re.compile(r"\bclaimed\s+responsibility\b", re.I)
SUSPECTED = re.compile(r"\bsuspected\b|\bbelieved\s+to\s+be\b", re.I)
_SAID = re.compile(r"(?:^|,\s*|\s)((?:the\s+)?(?:[\w.'’-]+\s+){0,3}?(?:officials?|police|"
                   r"authorities|ministry|prosecutors|spokes\w+|minister|army|military|"
                   r"sources?|agency|office|service|government|coalition|hospital|group|"
                   r"party|nurse|doctors?|medics|witnesses|residents|[A-Z][\w'’-]+))\s+"
                   r"(?:said|says|reported|told|confirmed|stated)\b")
# "A nurse at the district health centre in Ouallam, where ..., said 19 bodies ...": the
# sentence's subject, when the speaker is not just before "said".
_SUBJECT_SAID = re.compile(r"^(?:The|A|An)\s+((?:[a-z][\w'’-]*\s+){0,2}?[a-z][\w'’-]*)\b"
                           r"[^.;]{0,120}?\bsaid\b")
_ACCORDING = re.compile(r"\baccording\s+to\s+((?:the\s+)?[^,.;]{2,60}?)(?=[,.;]|$)")
ARRESTERS = re.compile(r"\b(?:[A-Z][\w.]*\s+)?(?:police|authorities|Authorities|security "
                        r"forces|troops|soldiers|army|officers|agents|prosecutors)\b")
PLACE_AFTER = re.compile(r"^\s+(?:province|city|region|district|county|state|town|"
                          r"village|area|governorate)\b")
DIPLOMATIC = re.compile(
    r"\b(?:diplomat\w*|condolence\w*|talks|summit|ambassador\w*|embass\w*|treat(?:y|ies)|"
    r"bilateral|ceasefire|cease-fire|sanctions|negotiat\w*|envoy\w*|foreign\s+minist\w*|"
    r"cooperation|agreement|accord|rapprochement|relations|outreach|capitals?|"
    r"counterterrorism|counter-terrorism)\b", re.I)
# Nationality adjectives are names to the eye but not actors ("Syrian", "Dutch").
DEMONYM = re.compile(r"(?:ian|ean|ese|ish|ic|i)$|^(?:American|Dutch|Arab|Thai|Swiss|French|"
                      r"Afghan|Greek|Czech|Welsh|Scots?)$")
COUNTRIES = {"Syria": "Syria", "Syrian": "Syria", "U.S.": "United States",
              "American": "United States", "Russian": "Russia", "Iranian": "Iran",
              "Iraqi": "Iraq", "Israeli": "Israel", "Turkish": "Turkey", "Dutch": "Netherlands",
              "British": "United Kingdom", "French": "France", "German": "Germany",
              "Chinese": "China", "Somali": "Somalia", "Nigerian": "Nigeria",
              "Congolese": "Democratic Republic of Congo", "Colombian": "Colombia",
              "Brazilian": "Brazil", "Vietnamese": "Vietnam", "Kyrgyz": "Kyrgyzstan",
              "Tajik": "Tajikistan", "Ivorian": "Ivory Coast"}
KINDS = {k.value: k for k in ActorKind}


def cut_at_word(text: str, n: int) -> str:
    if len(text) <= n:
        return text
    cut = text.rfind(" ", 0, n)
    return text[:cut if cut > 0 else n].rstrip(" ,;:—-")


PRONOUN_SAID = re.compile(r"\b(?:he|she|they)\s+(?:said|says|told|added)\b", re.I)
_SUBJECT = re.compile(r"^(?:The|A|An)\s+((?:[a-z][\w'’-]*\s+){0,2}?[a-z][\w'’-]*)\b"
                      r"(?:\s+(?:at|of|from|in)\s+[^,.;]{2,60}?)?\s+(?:gave|put|said|told|"
                      r"reported|counted|disputed|had)\b")


def subject(text: str) -> str | None:
    """The sentence's subject, when it opens with one ("An official at the hospital gave")."""
    m = _SUBJECT.search(text)
    return m.group(1) if m else None


def said_by(text: str) -> str | None:
    """Who the sentence says reported it: "police said", "according to the army", or the
    sentence's subject before a later "said"."""
    m = _SAID.search(text) or _ACCORDING.search(text)
    if m and m.group(1) not in ("The", "A", "An"):
        return cut_at_word(m.group(1), 100)
    m = _SUBJECT_SAID.search(text) or m
    return cut_at_word(m.group(1), 100) if m else None


def event_word(text: str) -> str:
    m = EVENT.search(text.replace("opened fire", "shooting"))
    return m.group(1).lower() if m else ""
