"""The selection page (EVA-6): per lot, the pass/fail questions its annual value calls for, and
each submitted bid's pass or fail with its note, recorded by the body's commissioners through
:func:`commissioning.evaluation.selection.record_selection`. Thin: parse, call, render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from commissioning.bids.models import Bid
from commissioning.evaluation import access, services
from commissioning.evaluation.models import SelectionResult
from commissioning.evaluation.selection import selection_for_lot
from commissioning.kernel.forms import GovUKForm, apply_validation_error
from commissioning.permissions import signed_in_user
from commissioning.procurement.access import published_opportunity
from commissioning.procurement.models import Opportunity
from commissioning_analytics.evaluation.selection import RequiredQuestion, SelectionRequirement

NOT_APPLICABLE = "That question does not apply to this lot."


class SelectionForm(GovUKForm):
    """Pass or fail one of the lot's selection questions for one bid, with a note."""

    question = forms.ChoiceField(
        label="Selection question",
        error_messages={"required": "Choose the question", "invalid_choice": NOT_APPLICABLE},
    )
    result = forms.ChoiceField(
        label="Result",
        choices=[("pass", "Pass"), ("fail", "Fail")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select pass or fail"},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for a fail: say why the bid fails the question. A fail excludes the "
        "bid from the ranking and the award, and the bidder reads this note in its feedback.",
    )

    def __init__(self, *args: Any, questions: tuple[RequiredQuestion, ...], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["question"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose a question")] + [
            (r.question.id, r.question.name) for r in questions
        ]


@dataclass
class BidSelection:
    bid: Bid
    results: list[tuple[RequiredQuestion, SelectionResult | None]]
    form: SelectionForm

    @property
    def failed(self) -> bool:
        return any(result is not None and not result.passed for _, result in self.results)

    @property
    def passed(self) -> bool:
        return all(result is not None and result.passed for _, result in self.results)


@dataclass
class LotSelection:
    lot: Any
    requirement: SelectionRequirement
    bids: list[BidSelection]


def _opportunity(request: HttpRequest, reference: str) -> Opportunity:
    refusal = "Only the commissioning body's commissioners record selection."
    return published_opportunity(request.user, reference, access.can_manage_evaluation, refusal)


def _page_url(opportunity: Opportunity) -> str:
    return reverse("evaluation:selection", args=[opportunity.reference])


def _lots(
    opportunity: Opportunity, opened: bool, bound: tuple[int, SelectionForm] | None
) -> list[LotSelection]:
    bids = list(services.evaluated_bids(opportunity)) if opened else []
    recorded = {(r.bid_id, r.question_id): r for r in SelectionResult.objects.filter(bid__in=bids)}
    lots = []
    for lot, requirement in services.selection_for_opportunity(opportunity):
        rows = []
        for bid in (b for b in bids if b.lot_id == lot.pk):
            form = (
                bound[1]
                if bound is not None and bound[0] == bid.pk
                else SelectionForm(prefix=f"bid-{bid.pk}", questions=requirement.questions)
            )
            results = [(r, recorded.get((bid.pk, r.question.id))) for r in requirement.questions]
            rows.append(BidSelection(bid, results, form))
        lots.append(LotSelection(lot, requirement, rows))
    return lots


def _record(request: HttpRequest, opportunity: Opportunity) -> tuple[int, SelectionForm] | None:
    """Handle a POST: ``None`` after recording (the caller redirects), else the bound form."""
    pk = request.POST.get("bid", "")
    bid = services.evaluated_bids(opportunity).filter(pk=pk).first() if pk.isdigit() else None
    if bid is None:
        raise Http404("No such submitted bid")
    requirement = selection_for_lot(bid.lot)
    form = SelectionForm(
        request.POST,
        prefix=f"bid-{bid.pk}",
        questions=requirement.questions if requirement else (),
    )
    if form.is_valid():
        try:
            services.record_selection(
                signed_in_user(request),
                bid,
                form.cleaned_data["question"],
                form.cleaned_data["result"] == "pass",
                form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return None
    return bid.pk, form


@login_required
def selection(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = _opportunity(request, reference)
    opened = services.bids_opened(opportunity)
    bound = None
    if request.method == "POST":
        if not opened:
            messages.error(request, "Open the bids before recording selection results.")
            return HttpResponseRedirect(_page_url(opportunity))
        bound = _record(request, opportunity)
        if bound is None:
            messages.success(request, "Selection result recorded.")
            return HttpResponseRedirect(f"{_page_url(opportunity)}#bid-{request.POST['bid']}")
    context = {
        "opportunity": opportunity,
        "opened": opened,
        "lots": _lots(opportunity, opened, bound),
        "error_form": bound[1] if bound else None,
        "crumbs": [
            ("Opportunities", reverse("procurement:list")),
            (opportunity.reference, opportunity.get_absolute_url()),
            ("Evaluation", reverse("evaluation:opportunity", args=[opportunity.reference])),
            ("Selection", None),
        ],
    }
    return render(request, "evaluation/selection.html", context)
