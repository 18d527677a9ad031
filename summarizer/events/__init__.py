"""Events: the briefs of a run grouped into one record per real-world incident.

Modules, one job each: items (a brief's main incident, read from briefs.jsonl), link
(blocking, pair scores, deterministic linking), consolidate (one event record from its
members), run (`summarizer events OUT`: events.jsonl, events.csv, events.html).
"""

from .consolidate import consolidate
from .items import Item, item_of
from .link import THRESHOLD, link, pair_score
from .run import EVENT_COLUMNS, EventsSummary, group_items, write_events

__all__ = ["EVENT_COLUMNS", "THRESHOLD", "EventsSummary", "Item", "consolidate",
           "group_items", "item_of", "link", "pair_score", "write_events"]
