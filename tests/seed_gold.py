"""The seed article's gold draft, exactly as DESIGN.md spells it out (hand-labeled)."""

from summarizer.brief import BriefDraft

SEED_DRAFT = {
    "headline": "Syria's al-Sharaa sends Trump condolences after IS attack kills U.S. troops "
    "near Palmyra",
    "summary": "Syrian President Ahmed al-Sharaa sent condolences to Donald Trump after an attack "
    "near Palmyra killed two U.S. service members and an interpreter. Syrian forces and the "
    "U.S.-led coalition arrested suspects, while a separate attack in Idlib killed four officers.",
    "actors": [
        {"name": "Ahmed al-Sharaa", "aliases": ["al-Sharaa"], "kind": "person",
         "role": "diplomatic party", "affiliation": "Syria",
         "evidence": [{"quote": "Syrian President Ahmed al-Sharaa has extended personal "
                       "condolences to U.S. President Donald Trump"}]},
        {"name": "Donald Trump", "aliases": ["Trump"], "kind": "person",
         "role": "diplomatic party", "affiliation": "United States",
         "evidence": [{"quote": "al-Sharaa dispatched a formal condolence letter to Trump"}]},
        {"name": "Islamic State", "aliases": ["IS", "Daesh"], "kind": "armed group",
         "role": "perpetrator", "affiliation": None,
         "evidence": [{"quote": "which U.S. officials have attributed to remnants of the "
                       "Islamic State (IS)"}]},
    ],
    "casualties": [
        {"incident": "Palmyra attack", "location": "near Palmyra", "date_text": "on Saturday",
         "group": "U.S. service members", "side": "victims",
         "killed": {"value": 2, "qualifier": "exact"}, "wounded": None,
         "perpetrator": "Islamic State", "attribution": "attributed",
         "attributed_by": "U.S. officials",
         "evidence": [{"quote": "claimed the lives of two U.S. service members and one local "
                       "interpreter near the historic city of Palmyra"}]},
        {"incident": "Palmyra attack", "location": "near Palmyra", "date_text": "on Saturday",
         "group": "local interpreter", "side": "victims",
         "killed": {"value": 1, "qualifier": "exact"}, "wounded": None,
         "perpetrator": "Islamic State", "attribution": "attributed",
         "attributed_by": "U.S. officials",
         "evidence": [{"quote": "claimed the lives of two U.S. service members and one local "
                       "interpreter near the historic city of Palmyra"}]},
        {"incident": "Idlib convoy attack", "location": "Idlib province",
         "group": "internal security personnel", "side": "victims",
         "killed": {"value": 4, "qualifier": "exact"},
         "wounded": {"value": 1, "qualifier": "exact"},
         "perpetrator": None, "attribution": "unclaimed",
         "evidence": [{"quote": "killing four officers and wounding a fifth"}]},
    ],
    "arrests": [
        {"count": {"value": 3, "qualifier": "exact"}, "who": "primary suspects",
         "by": "Syrian authorities", "status": "arrested", "incident": "Palmyra attack",
         "evidence": [{"quote": "Authorities have already arrested three primary suspects "
                       "directly linked to the Palmyra attack"}]},
        {"count": {"value": 5, "qualifier": "exact"}, "who": "additional individuals",
         "by": "Syrian authorities", "status": "detained", "incident": "Palmyra attack",
         "evidence": [{"quote": "five additional individuals have been detained for "
                       "questioning"}]},
    ],
    "diplomatic_significance": {
        "level": "high",
        "summary": "A rare direct message between Damascus and Washington, alongside "
        "counter-terrorism cooperation on the ground.",
        "parties": ["Syria", "United States"],
        "evidence": [{"quote": "the outreach marks a rare instance of direct communication "
                      "between Damascus and Washington"}],
    },
}


def seed_draft() -> BriefDraft:
    return BriefDraft.model_validate(SEED_DRAFT)
