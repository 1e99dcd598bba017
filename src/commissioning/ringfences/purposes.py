"""Whether an organisation meets a ring-fence's purpose (CYC-5), read from its directory
profile: who leads it, its specialisms and the people it serves, and its size. One rule per
purpose, each with the words the pages show."""

from __future__ import annotations

from commissioning.directory.models import Organisation
from commissioning.ringfences.models import RingFence

Purpose = RingFence.Purpose
SMALL_BANDS = ("micro", "small", "medium")

#: What each purpose asks of the organisation, as the pages say it.
RULES: dict[str, str] = {
    Purpose.WOMEN: "women-led, or offering women's services, or serving women",
    Purpose.BAME: "BAME-led, or serving BAME people",
    Purpose.SMALL_LOCAL: "an organisation with an income under £1 million that is not a prime",
    Purpose.LIVED_EXPERIENCE: "led by people with lived experience, or user-led",
}


def meets_purpose(organisation: Organisation, purpose: str) -> bool:
    """True when ``organisation``'s profile says it is the kind of organisation the money is
    earmarked for. Prefetch ``specialisms`` and ``cohorts`` when checking many."""
    if purpose == Purpose.WOMEN:
        return organisation.women_led or _has(organisation, "womens-services", "women")
    if purpose == Purpose.BAME:
        return organisation.bame_led or _has(organisation, None, "bame-people")
    if purpose == Purpose.SMALL_LOCAL:
        return organisation.size_band in SMALL_BANDS and not organisation.is_prime
    if purpose == Purpose.LIVED_EXPERIENCE:
        return organisation.lived_experience_led or organisation.user_led
    raise ValueError(f"Unknown ring-fence purpose: {purpose}")


def _has(organisation: Organisation, specialism: str | None, cohort: str | None) -> bool:
    specialisms = {s.slug for s in organisation.specialisms.all()}
    cohorts = {c.slug for c in organisation.cohorts.all()}
    return (specialism is not None and specialism in specialisms) or (
        cohort is not None and cohort in cohorts
    )
