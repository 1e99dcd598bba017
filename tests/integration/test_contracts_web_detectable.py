"""The mechanism page says the smallest change each outcome payment on a yes/no measure can
reliably show, and warns when a payment's threshold is smaller (PBR-2, OUT-1; seed 003 §14.5)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from commissioning_analytics.payments import load_example
from tests.contract_factories import ContractFactory, example_document

pytestmark = pytest.mark.django_db

WARNING = "This payment depends on a change smaller than the cohort can reliably show."


def text_of(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _mechanism_text(client: Client, **documents: object) -> str:
    contract = ContractFactory(**documents)
    return text_of(client.get(reverse("contracts:mechanism", args=[contract.reference])))


def test_a_two_point_threshold_on_400_people_is_flagged(client: Client) -> None:
    """400 people against 400 matched at the observed 45%: 2.8016 × sqrt(0.2475 × 2/400) =
    9.86 points, so the 2-point threshold cannot be reliably shown."""
    text = _mechanism_text(client)
    assert (
        "Nothing is paid unless the improvement is at least 2.0 percentage points. "
        "Once the threshold is met an evaluation pays at least £5,000.00. "
        "The rule pays at most £150,000.00 over the contract. "
        "With 400 people, a reoffending measure can detect only a change of 10 points or more. "
        + WARNING
    ) in text
    # The payment per person housed is on a count, not a yes/no measure: no sentence.
    assert text.count("can detect only a change") == 1


def test_a_cohort_large_enough_for_the_threshold_is_not_flagged(client: Client) -> None:
    """20,000 people at 45%: 2.8016 × sqrt(0.2475 × 2/20000) = 1.39 points, under 2."""
    observed = example_document("illustrative-supply-chain.observed")
    for period in observed["periods"]:
        for outcome in period.get("outcomes", []):
            if outcome["measure"] == "binary-reconviction":
                outcome["cohort_size"] = 20000
    text = _mechanism_text(client, observed=observed)
    assert "With 20,000 people, a reoffending measure can detect only a change of 2 points" in text
    assert WARNING not in text


def test_nothing_observed_says_nothing(client: Client) -> None:
    text = _mechanism_text(client, observed=None)
    assert "can detect only a change" not in text
    assert load_example("illustrative-supply-chain").outcome_payments  # the rule is still there
