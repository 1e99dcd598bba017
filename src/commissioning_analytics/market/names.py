"""Word lists and helpers for invented, plausible organisation and person names.

Every name is a combination of ordinary words (e.g. "Northumbria Women's Resettlement Trust"); any
resemblance to a real organisation is chance. Names and slugs are made unique deterministically.
"""

from __future__ import annotations

from collections.abc import Sequence

from commissioning_analytics.market.geography import slugify

# Words that say what an organisation does, by specialism slug.
FOCUS_WORDS: dict[str, tuple[str, ...]] = {
    "accommodation": ("Housing", "Homes", "Accommodation", "Safe Housing", "Tenancy Support"),
    "education-training-and-employment": ("Employment", "Skills", "Learning", "Work", "Careers"),
    "substance-misuse": ("Recovery", "Addiction Recovery", "Drug and Alcohol", "Sober Living"),
    "mental-health": ("Mental Health", "Minds", "Emotional Wellbeing", "Counselling"),
    "finance-benefit-and-debt": ("Money Advice", "Debt Advice", "Financial Inclusion"),
    "families-and-relationships": ("Families", "Family Links", "Family Support", "Kinship"),
    "attitudes-thinking-and-behaviour": ("Change", "New Thinking", "Choices", "Desistance"),
    "domestic-abuse": ("Safe Relationships", "Domestic Abuse", "Healthy Relationships"),
    "mentoring": ("Mentoring", "Peer Mentors", "Befriending", "Through the Gate Mentors"),
    "restorative-justice": ("Restorative Justice", "Mediation", "Restorative Practice"),
    "womens-services": ("Women's Centre", "Women's Support", "Women's Services"),
    "arts": ("Arts", "Theatre", "Music", "Creative Arts", "Writing"),
    "sport": ("Sport", "Football", "Boxing", "Active Lives", "Outdoor Learning"),
    "advocacy-and-advice": ("Advice", "Advocacy", "Rights and Advice", "Legal Advice"),
    "health-and-wellbeing": ("Health", "Wellbeing", "Healthy Futures"),
    "resettlement-through-the-gate": ("Resettlement", "Through the Gate", "Release Support"),
}

# Words for whom it serves, by cohort slug (blank: the cohort lends no word to the name).
COHORT_WORDS: dict[str, tuple[str, ...]] = {
    "women": ("Women's",),
    "young-adults": ("Young People's", "Youth", "Young Adults'"),
    "bame-people": ("Black and Asian Communities", "Diverse Communities", "Minority Communities"),
    "families-of-people-in-prison": ("Prisoners' Families",),
    "older-people": ("Older People's", "Later Life"),
    "people-with-convictions": ("Second Chance", "Rehabilitation", "Fresh Perspectives"),
    "veterans": ("Veterans'", "Forces"),
    "disabled-people": ("Disability", "Access"),
    "lgbtq-people": ("LGBTQ+", "Pride"),
    "foreign-national-people": ("Migrant", "Foreign Nationals'"),
    "people-with-learning-disabilities-or-difficulties": ("Learning Disability",),
}

EVOCATIVE = (
    "New Leaf", "Open Gate", "Fresh Start", "Stepping Stones", "Bright Futures", "Anchor",
    "Harbour", "Lantern", "Compass", "Bridgeway", "Keystone", "Northern Star", "Threshold",
    "Waypoint", "Willow", "Rowan", "Hawthorn", "Open Road", "New Horizons", "Pathways",
    "Crossroads", "Footprints", "Springboard", "Common Ground", "Kindred", "Beacon",
    "Clearwater", "Lighthouse", "Milestone", "Renew", "Restart", "Rising", "Roots", "Sanctuary",
    "Seedbed", "Solace", "Together", "Trellis", "Bluebell", "Oakleaf", "Riverbank", "Redbrick",
    "Cornerstone", "Meadowside", "Skylark", "Bramble", "Harvest", "Tidewater", "Kingfisher",
    "Heron", "Swallow", "Larch", "Birchwood", "Elmfield", "Ashdown", "Silverline", "Greenway",
    "Hearth", "Homeward", "Inroads", "Mosaic", "Patchwork", "Quarry Hill", "Second Wind",
    "Stillwater", "Turnstone", "Upstream", "Wayfarer", "Wildflower", "Yardstick", "Zephyr",
)  # fmt: skip

SUFFIXES: dict[str, tuple[str, ...]] = {
    "vcs_charity": (
        "Trust", "Project", "Network", "Partnership", "Foundation", "Centre", "Collective",
        "Association", "Alliance", "Initiative", "Hub", "Service", "Charity", "Forum",
    ),
    "social_enterprise": ("CIC", "Community Interest Company", "Social Enterprise", "Co-operative"),
    "private": ("Ltd", "Services Ltd", "Consulting Ltd", "Solutions Ltd"),
}  # fmt: skip

PRIME_STEMS = (
    "Meridian", "Sterling", "Albion", "Pennine", "Ironbridge", "Cavendish", "Northgate",
    "Westbury", "Ashworth", "Crownfield", "Halcyon", "Kestrel", "Lindisfarne", "Marlowe",
    "Oakridge", "Portland", "Quantock", "Radcliffe", "Severn", "Thornbury", "Vanguard",
    "Whitmore", "Aldridge", "Beaumont", "Chiltern", "Dunmore", "Everton", "Fairhaven",
)  # fmt: skip
PRIME_MIDDLES = (
    "Justice",
    "Rehabilitation",
    "Community Justice",
    "Care and Justice",
    "Resettlement",
    "Public Services",
    "Support Services",
    "Probation Services",
)
PRIME_ENDS: dict[str, tuple[str, ...]] = {
    "private": ("Ltd", "Group plc", "Holdings Ltd", "Partners Ltd", "Group Ltd"),
    "vcs_charity": ("Trust", "Federation", "Foundation", "Charitable Trust"),
    "social_enterprise": ("Mutual", "CIC", "Community Interest Company"),
}

FIRST_NAMES = (
    "Aisha", "Alex", "Amira", "Ben", "Bethan", "Chloe", "Daniel", "Deepa", "Ellis", "Fatima",
    "Gareth", "Grace", "Hannah", "Imran", "Jade", "James", "Kemi", "Kieran", "Laura", "Leon",
    "Mandeep", "Marcus", "Megan", "Nia", "Olu", "Priya", "Rhys", "Rosa", "Sam", "Sian",
    "Tariq", "Tom", "Yusuf", "Zoe", "Callum", "Dionne", "Ewan", "Farah", "Gemma", "Harpreet",
)  # fmt: skip
LAST_NAMES = (
    "Ahmed", "Begum", "Brown", "Campbell", "Clarke", "Davies", "Edwards", "Evans", "Green",
    "Hall", "Hughes", "Hussain", "Jackson", "James", "Jones", "Khan", "Lewis", "Mensah",
    "Morgan", "Murphy", "Okafor", "Patel", "Price", "Roberts", "Robinson", "Shah", "Singh",
    "Smith", "Taylor", "Thomas", "Thompson", "Walker", "White", "Williams", "Wilson", "Wright",
)  # fmt: skip

PRISON_NAMES = (
    "Larkmoor",
    "Copperbeck",
    "Greywater",
    "Oakhollow",
    "Thistlebank",
    "Ravensmere",
    "Brackenford",
    "Saltmarsh Fields",
)
"""Invented prisons: the demo's prison governors are synthetic and say so."""


def make_unique(names: Sequence[str], qualifiers: Sequence[str]) -> list[str]:
    """Each repeated name gets its row's qualifier in brackets, then a number, until unique."""
    seen: set[str] = set()
    result: list[str] = []
    for name, qualifier in zip(names, qualifiers, strict=True):
        candidate = name
        if candidate in seen:
            candidate = f"{name} ({qualifier})"
        number = 2
        while candidate in seen:
            candidate = f"{name} ({qualifier} {number})"
            number += 1
        seen.add(candidate)
        result.append(candidate)
    return result


def unique_slugs(names: Sequence[str], taken: set[str] | None = None) -> list[str]:
    """Slugs of ``names``, none repeated and none in ``taken`` (which is updated)."""
    used = taken if taken is not None else set()
    result: list[str] = []
    for name in names:
        base = slugify(name)[:200].strip("-") or "organisation"
        slug, number = base, 2
        while slug in used:
            slug = f"{base}-{number}"
            number += 1
        used.add(slug)
        result.append(slug)
    return result


def email_domain(slug: str) -> str:
    """A short ``.example`` domain for a slug, under DNS's 63-character label limit."""
    return slug[:48].strip("-") + ".example"


def english_list(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    separator = "; " if any("," in item for item in items) else ", "
    return separator.join(items[:-1]) + " and " + items[-1]
