"""Every item of an error summary is a link to where the problem is fixed (issue 11 item 23):
form errors link to their field (the first radio or checkbox of a group, the organisation name
box, the partners list); problems that are not fields of the page (what stops a publication or
a submission) link to the page or section where they are fixed, through one include."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.forms import Form
from django.template import Context, Template

from commissioning.bids.forms import PricingForm, SubcontractorForm
from commissioning.exercises.forms import ExerciseForm
from tests.factories import OrganisationFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "commissioning"
SUMMARY_INCLUDE = SRC / "templates" / "includes" / "problem_summary.html"

FORM_PAGE = Template(
    '{% load crispy_forms_tags %}{% include "includes/error_summary.html" with form=form %}'
    "{% crispy form %}"
)


def _summary_links(html: str) -> list[tuple[str, str]]:
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.DOTALL)
    assert summary, "no error summary"
    items = re.findall(r"<li>(.*?)</li>", summary.group(1), re.DOTALL)
    links = [re.fullmatch(r'\s*<a href="([^"]+)">(.*?)</a>\s*', item, re.DOTALL) for item in items]
    assert all(links), f"error summary items that are not links: {items}"
    return [(m.group(1), m.group(2).strip()) for m in links if m]


def _assert_every_error_links_to_its_field(form: Form) -> None:
    assert not form.is_valid()
    html = FORM_PAGE.render(Context({"form": form}))
    links = _summary_links(html)
    assert len(links) == sum(len(errors) for errors in form.errors.values())
    for href, _ in links:
        assert href.startswith("#")
        assert f'id="{href[1:]}"' in html, f"the summary links to {href}, which is not on the page"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_form",
    [
        lambda: ExerciseForm({"title": "", "partners": ["not-a-body"]}, user=None),
        lambda: PricingForm({"price": "-1"}),
        lambda: SubcontractorForm(
            {"organisation": "Nobody By This Name", "referrals_per_year": "x"},
            prime=OrganisationFactory(),
        ),
    ],
    ids=["exercise", "pricing", "sub-contractor"],
)
def test_form_error_summaries_link_to_fields_that_are_on_the_page(make_form: Any) -> None:
    _assert_every_error_links_to_its_field(make_form())


def test_problems_that_are_not_fields_link_to_where_they_are_fixed() -> None:
    class Located(str):
        href = "/opportunities/OPP-1/edit/#contact"

    html = Template(
        '{% include "includes/problem_summary.html" with problems=problems '
        'fix_url="/bids/7/" problem=problem problem_url="#add-theme" %}'
    ).render(
        Context(
            {
                "problems": ["Complete the full-cost disclosure.", Located("Name the contact.")],
                "problem": "That theme is already there.",
            }
        )
    )
    assert _summary_links(html) == [
        ("#add-theme", "That theme is already there."),
        ("/bids/7/", "Complete the full-cost disclosure."),
        ("/opportunities/OPP-1/edit/#contact", "Name the contact."),
    ]


def test_no_template_writes_its_own_error_summary_list() -> None:
    own = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.html")
        if path != SUMMARY_INCLUDE and "govuk-error-summary__list" in path.read_text("utf-8")
    ]
    assert own == [], "use includes/problem_summary.html (or the form's error summary)"
