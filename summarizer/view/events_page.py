"""OUT/events.html: the events of a run (`summarizer events OUT`), each with its sources'
figures side by side and the quotes they rest on, linked to the briefs on OUT/index.html
(whose overview sends a deep link on to the page that holds the brief).

Events told by more than one article come first (most sources first), then the rest, by
date; at most `MAX_EVENTS_SHOWN` are on the page, events.jsonl holds every one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .render import render, script, write_page

if TYPE_CHECKING:
    from ..events.items import Item

__all__ = ["EVENTS_PAGE", "MAX_EVENTS_SHOWN", "render_events_page", "write_events_page"]

EVENTS_PAGE = "events.html"
MAX_EVENTS_SHOWN = 2000
FIGURES = ("killed", "wounded", "arrested")


@dataclass
class SourceView:
    article_id: str
    anchor: str  # index.html#brief-OUTPUT
    headline: str
    published: str
    day: str
    place: str
    figures: dict[str, str]
    quotes: list[str]


@dataclass
class EventView:
    eid: str
    date: str
    place: str
    perpetrators: str
    figures: dict[str, str]
    sources: int
    articles: int
    members: list[SourceView] = field(default_factory=list)
    search: str = ""


def _iso(day: int | None) -> str:
    return dt.date.fromordinal(day).isoformat() if day is not None else ""


def _range(fig: Mapping[str, Any] | None) -> str:
    if not fig:
        return ""
    low, high = fig["low"], fig["high"]
    return str(low) if low == high else f"{low}–{high}"


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def event_view(event: Mapping[str, Any], members: Sequence[Item]) -> EventView:
    date = event.get("date") or {}
    when = date.get("start") or ""
    if date.get("end") and date.get("end") != when:
        when = f"{when} – {date['end']}"
    view = EventView(eid=str(event["id"]), date=when, place=str(event.get("place") or ""),
                     perpetrators="; ".join(event.get("perpetrators") or []),
                     figures={k: _range(event.get(k)) for k in FIGURES},
                     sources=int(event["sources"]), articles=len(event["articles"]))
    for m in members:
        view.members.append(SourceView(
            article_id=m.article_id, anchor=f"index.html#brief-{m.output}",
            headline=m.headline, published=_iso(m.published), day=_iso(m.day),
            place=m.place or "", figures={"killed": _num(m.killed), "wounded": _num(m.wounded),
                                          "arrested": _num(m.arrested)},
            quotes=list(m.quotes)))
    view.search = " ".join([view.date, view.place, view.perpetrators,
                            *(f"{m.article_id} {m.headline}" for m in view.members)]).lower()
    return view


def _order(pair: tuple[Mapping[str, Any], Sequence[Item]]) -> tuple[int, int, str]:
    event = pair[0]
    date = (event.get("date") or {}).get("start") or "9999"
    return (-len(event["articles"]), -int(event["sources"]), date)


def render_events_page(events: Sequence[Mapping[str, Any]], items: Sequence[Item],
                       title: str) -> str:
    by_id = {it.article_id: it for it in items}
    pairs = [(ev, [by_id[a] for a in ev["articles"] if a in by_id]) for ev in events]
    pairs.sort(key=_order)
    shown = [event_view(ev, members) for ev, members in pairs[:MAX_EVENTS_SHOWN]]
    told_more = sum(1 for ev in events if len(ev["articles"]) > 1)
    return render("events.html.j2", title=title, events=shown, total=len(events),
                  told_more=told_more, articles=len(items), max_shown=MAX_EVENTS_SHOWN,
                  script=script("events.js"))


def write_events_page(out: Path, events: Sequence[Mapping[str, Any]],
                      items: Sequence[Item]) -> Path:
    """Write OUT/events.html and mark OUT/index.html's header with a link to it."""
    title = f"Events: {out.resolve().name}"
    path = write_page(out / EVENTS_PAGE, render_events_page(events, items, title))
    link_from_index(out)
    return path


# The index pages carry this comment where a link to the events page goes; writing the
# events puts the link in, so index.html need not be written again for a run of any size.
EVENTS_MARK = "<!-- events-link -->"
EVENTS_LINK = f' · <a class="events-link" href="{EVENTS_PAGE}">events</a>'


def with_events_link(out: Path, html: str) -> str:
    """An index page's HTML with the link to the events page, when the run has one."""
    return html.replace(EVENTS_MARK, EVENTS_LINK, 1) if (out / EVENTS_PAGE).is_file() else html


def link_from_index(out: Path) -> None:
    index = out / "index.html"
    try:
        html = index.read_text(encoding="utf-8")
    except OSError:
        return  # no viewer written (yet): a later `summarizer view` links it
    if EVENTS_MARK in html:
        write_page(index, with_events_link(out, html))
