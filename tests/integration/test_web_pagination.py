"""Pagination keeps the other query parameters (filters) and shows the nearest valid page."""

from __future__ import annotations

from django.test import RequestFactory

from commissioning.kernel.pagination import paginate


def test_filters_are_kept_and_page_is_dropped(rf: RequestFactory) -> None:
    request = rf.get("/directory/", {"q": "women", "led_by": ["bame_led", "women_led"], "page": 2})
    context = paginate(request, list(range(60)), per_page=25)
    assert context["page_obj"].number == 2
    assert list(context["page_obj"].object_list) == list(range(25, 50))
    assert context["querystring_without_page"] == "q=women&led_by=bame_led&led_by=women_led"


def test_out_of_range_or_malformed_page_shows_a_valid_page(rf: RequestFactory) -> None:
    items = list(range(30))
    assert paginate(rf.get("/", {"page": 99}), items, per_page=10)["page_obj"].number == 3
    assert paginate(rf.get("/", {"page": "x"}), items, per_page=10)["page_obj"].number == 1


def test_long_ranges_are_elided(rf: RequestFactory) -> None:
    context = paginate(rf.get("/", {"page": 10}), list(range(500)), per_page=10)
    page_range = context["page_range"]
    ellipsis = context["page_obj"].paginator.ELLIPSIS
    assert page_range[:2] == [1, 2] and page_range[-2:] == [49, 50]
    assert page_range.count(ellipsis) == 2
    assert [n for n in page_range if isinstance(n, int) and 3 <= n <= 48] == [8, 9, 10, 11, 12]
