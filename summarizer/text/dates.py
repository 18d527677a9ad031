"""When: an article's publication date, and a record's day resolved against it.

Publication date, first found wins: the input's own date (a JSON article's `date`), an HTML
page's meta tags (`article:published_time`, `datePublished`, `pubdate`, `date`, `DC.date`,
`<time datetime>`), the dateline ("KANO, Nigeria, March 3 (Reuters) -", "3 March 2024 —").

Resolving a record's day (`Casualty.date_resolved`; `date` keeps its own rule, set only when the
article makes the day certain), the rule:

- `date` set: that day.
- an ISO date or a day with its month ("on March 3", "3 March", "March 3, 2024") in the record's
  date text: that day, in the year given, else in the publication year, else the year before
  when that day would fall after publication (news tells of the past).
- "today", "this morning", "tonight": the publication day; "yesterday", "last night": the day
  before it.
- a weekday ("on Thursday", "late Friday", "Saturday night"): the latest such weekday on or
  before the publication day (a Thursday's paper that says "on Thursday" means that day).
- "a day after", "two days after" (the bombing): one, two days before publication.
- anything else ("last week", "this month") names no day: null. Without a publication date only
  the first two kinds resolve.

Which mention tells the incident's day (`incident_day`, over the record's date text and its
quotes): a day named as the event's ("Thursday's attack") first, then any other, skipping a
day that tells when something was said or done after ("police said on Sunday", "on Monday
buried").
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["html_published", "incident_day", "iso_date", "publication_date", "resolve_day"]

MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}

_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|" \
         r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)")
_MONTH_DAY = re.compile(_MONTH + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
                        r"(?:,?\s+(?P<year>(?:19|20)\d\d))?", re.I)
_DAY_MONTH = re.compile(r"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH
                        + r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I)
_WEEKDAY = re.compile(r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
                      re.I)
_TODAY = re.compile(r"\b(?:today|this (?:morning|afternoon|evening)|tonight)\b", re.I)
_YESTERDAY = re.compile(r"\b(?:yesterday|last night|overnight)\b", re.I)
_META = re.compile(
    r"<meta\b[^>]*?(?:property|name|itemprop)\s*=\s*[\"'](?:article:published_time|"
    r"datePublished|pubdate|publishdate|date|DC\.date(?:\.issued)?|dcterms\.date|"
    r"og:published_time|sailthru\.date|parsely-pub-date)[\"'][^>]*>", re.I)
_CONTENT = re.compile(r"\bcontent\s*=\s*[\"']([^\"']{4,40})[\"']", re.I)
_TIME = re.compile(r"<time\b[^>]*\bdatetime\s*=\s*[\"']([^\"']{4,40})[\"']", re.I)
_JSONLD = re.compile(r"\"datePublished\"\s*:\s*\"([^\"]{4,40})\"")
# A dateline: the opening words before the first dash of the story ("KANO, Nigeria, March 3
# (Reuters) -", "Lagos, 3 March 2024 —", "PARIS (AP) --").
DATELINE = re.compile(r"\A\s*(?P<head>[^\n.]{2,90}?)\s*(?:\s[-–—]{1,2}|:)\s")


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def iso_date(text: str | None) -> str | None:
    """An ISO day from a date as inputs give it: ISO (with or without time), "3 March 2024",
    "March 3, 2024", RFC 2822 ("Sun, 03 Mar 2024 10:00:00 GMT"); None when it is not one."""
    if not text:
        return None
    text = text.strip()
    if m := _ISO.search(text):
        got = _day(int(m["y"]), int(m["m"]), int(m["d"]))
        return got.isoformat() if got else None
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        m = pattern.search(text)
        if m and m["year"]:
            got = _day(int(m["year"]), _month(m["month"]), int(m["day"]))
            return got.isoformat() if got else None
    return None


def html_published(html: str) -> str | None:
    """The publication day an HTML page states in its head: meta tags, JSON-LD, <time>."""
    head = html[:200_000]
    for tag in _META.finditer(head):
        if (m := _CONTENT.search(tag.group())) and (day := iso_date(m.group(1))):
            return day
    for pattern in (_JSONLD, _TIME):
        for m in pattern.finditer(head):
            if day := iso_date(m.group(1)):
                return day
    return None


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


def _month_day(text: str, published: dt.date | None) -> dt.date | None:
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        m = pattern.search(text)
        if not m:
            continue
        month, day = _month(m["month"]), int(m["day"])
        if m["year"]:
            return _day(int(m["year"]), month, day)
        if published is None:
            return None
        got = _day(published.year, month, day)
        if got is not None and got > published:
            got = _day(published.year - 1, month, day)
        return got
    return None


def dateline_date(text: str) -> str | None:
    """The day a dateline gives with its year ("LAGOS, March 3, 2024 (AFP) —")."""
    m = DATELINE.match(text)
    if not m:
        return None
    return iso_date(m["head"])


def publication_date(given: str | None, text: str) -> str | None:
    """The article's publication day: the input's date, else its dateline's."""
    return iso_date(given) or dateline_date(text)


def resolve_day(date: str | None, date_text: str | None,
                published: str | None) -> str | None:
    """A record's day by the module's rule, as an ISO date, or None."""
    if exact := iso_date(date):
        return exact
    text = date_text or ""
    if not text.strip():
        return None
    if m := _ISO.search(text):
        got = _day(int(m["y"]), int(m["m"]), int(m["d"]))
        return got.isoformat() if got else None
    pub = dt.date.fromisoformat(published) if iso_date(published) == published and \
        published else None
    if (got := _month_day(text, pub)) is not None:
        return got.isoformat()
    if pub is None:
        return None
    if _YESTERDAY.search(text):
        return (pub - dt.timedelta(days=1)).isoformat()
    if _TODAY.search(text):
        return pub.isoformat()
    if m := _WEEKDAY.search(text):
        back = (pub.weekday() - WEEKDAYS[m["wd"].lower()]) % 7
        return (pub - dt.timedelta(days=back)).isoformat()
    if m := _DAYS_AFTER.search(text):
        back = _SMALL[m["n"].lower()]
        return (pub - dt.timedelta(days=back)).isoformat()
    return None


_SMALL = {"a": 1, "one": 1, "two": 2, "three": 3}
_DAYS_AFTER = re.compile(r"\b(?P<n>a|one|two|three)\s+days?\s+after\b", re.I)
_MENTION = re.compile(
    r"\b(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:['’]s)?"
    r"(?:\s+(?:morning|afternoon|evening|night))?|today|yesterday|last\s+night|tonight|overnight|"
    r"(?:a|one|two|three)\s+days?\s+after|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+[0-3]?\d\b(?:,?\s+\d{4})?|"
    r"[0-3]?\d\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*(?:\s+\d{4})?|"
    r"(?:19|20)\d\d-[01]\d-[0-3]\d)", re.I)
# A day that dates a statement ("police said Sunday", "said late on Sunday") or an aftermath
# ("died in hospital on Monday", "was arrested Monday night", "were identified Monday"), not
# the incident. A statement's day follows its verb at once: "said the shooting on Sunday"
# dates the shooting.
_AFTERMATH = re.compile(
    r"(?:\b(?:said|says|told|announced|reported|added|confirmed|stated|declared)\s+"
    r"(?:(?:late|early|on|late\s+on|early\s+on)\s+)?"
    r"|\b(?:died|succumbed|buried|mourned|identified|named|charged|arrested|detained|held|"
    r"visited|condemned|demanded|urged|called|asked|claimed|rose|risen|reached|put|released|"
    r"discharged)\b[^.;,]{0,30}"
    r"|\b(?:since|until|by|from)\s+)$", re.I)
_AFTER_VERB = re.compile(
    r"^\s*(?:morning|afternoon|evening|night\s+)?\s*(?:,\s*)?(?:said|told|announced|"
    r"demanded|condemned|claimed|held|buried|named|asked|called|visited|declared|put|still|were "
    r"still|was still|mourn\w*)\b", re.I)


def incident_day(texts: list[str], published: str | None) -> str | None:
    """The incident's day from the texts that tell it (module docstring: which mention)."""
    plain: list[str] = []
    for text in texts:
        for m in _MENTION.finditer(text):
            mention = m.group()
            if re.search(r"['’]s$", mention):  # "Thursday's attack": the event's own day
                return resolve_day(None, mention, published)
            before, after = text[max(0, m.start() - 50):m.start()], text[m.end():m.end() + 30]
            if _AFTERMATH.search(before) or _AFTER_VERB.match(after):
                continue
            plain.append(mention)
    for mention in plain:
        if day := resolve_day(None, mention, published):
            return day
    return None
