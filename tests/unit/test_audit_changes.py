"""Pure helpers of the audit trail: diffs and how changes read on the audit page (no database)."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from commissioning.accounts.models import Membership
from commissioning.audit.admin import _inline_changes
from commissioning.audit.services import (
    Action,
    action_label,
    created,
    deleted,
    describe_changes,
    describe_value,
    diff,
    target_type_label,
)


def test_diff_keeps_only_what_changed() -> None:
    before = {"name": "Old", "income": "100.00", "areas": ["A"]}
    after = {"name": "New", "income": "100.00", "areas": ["A", "B"]}
    assert diff(before, after) == {
        "name": {"from": "Old", "to": "New"},
        "areas": {"from": ["A"], "to": ["A", "B"]},
    }


def test_created_and_deleted_leave_out_empty_values_but_keep_zero() -> None:
    values = {"name": "X", "notes": "", "tags": [], "flag": False, "count": 0, "parent": None}
    assert created(values) == {
        "name": {"from": None, "to": "X"},
        "count": {"from": None, "to": 0},
    }
    assert deleted(values) == {
        "name": {"from": "X", "to": None},
        "count": {"from": 0, "to": None},
    }


def test_describe_changes_reads_field_old_arrow_new() -> None:
    lines = describe_changes(
        {
            "annual_income": {"from": "250000.00", "to": "300000.00"},
            "areas": {"from": ["Kent"], "to": ["Kent", "Surrey"]},
            "is_prime": {"from": False, "to": True},
            "contact_email": {"from": "", "to": "a@b.example"},
            "reason": "Moved after consultation",
        }
    )
    assert lines == [
        "annual income: 250000.00 → 300000.00",
        "areas: Kent → Kent, Surrey",
        "is prime: No → Yes",
        "contact email: (blank) → a@b.example",
        "reason: Moved after consultation",
    ]


def test_describe_changes_of_nothing_is_empty() -> None:
    assert describe_changes(None) == []
    assert describe_changes({}) == []


def test_describe_value_of_nested_dict() -> None:
    assert describe_value({"from": 1, "extra": 2}) == "from: 1; extra: 2"


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=10),
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
        max_size=6,
    )
)
def test_diff_of_a_snapshot_with_itself_is_empty_and_created_round_trips(
    values: dict[str, object],
) -> None:
    assert diff(values, values) == {}
    changes = created(values)
    assert all(change["from"] is None for change in changes.values())
    assert len(describe_changes(changes)) == len(changes)


def test_labels_for_people() -> None:
    assert target_type_label("accounts.Membership") == "Membership"
    assert target_type_label("gone.Model") == "gone.Model"
    assert target_type_label("not-a-label") == "not-a-label"
    assert action_label(Action.MEMBERSHIP_APPROVE) == "Membership approved"
    assert action_label("exercise.stage") == "exercise.stage"


def test_inline_changes_in_the_admin_are_summarised_by_inline_model() -> None:
    formset = SimpleNamespace(
        model=Membership,
        new_objects=["Ann at Org"],
        changed_objects=[("Bo at Org", ["status", "is_org_admin"])],
        deleted_objects=[],
    )
    untouched = SimpleNamespace(
        model=Membership, new_objects=[], changed_objects=[], deleted_objects=[]
    )
    changes = _inline_changes([formset, untouched])
    assert changes == {
        "memberships": {"added": ["Ann at Org"], "changed": ["Bo at Org (status, is_org_admin)"]}
    }
    assert describe_changes(changes) == [
        "memberships: added: Ann at Org; changed: Bo at Org (status, is_org_admin)"
    ]
