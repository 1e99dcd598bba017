"""Clarification question pages (PRO-4): the public list per opportunity, asking (providers),
and answering, editing the published wording and closing (the body's commissioners).
Thin: parse the form, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from commissioning.audit.versions import StaleEdit, page_status
from commissioning.clarifications import access, naming, queries, services
from commissioning.clarifications.forms import (
    AnswerForm,
    AskForm,
    CloseForm,
    ConfirmAnswerForm,
    EditTextForm,
)
from commissioning.clarifications.models import Question
from commissioning.clarifications.timing import long_date
from commissioning.kernel.forms import apply_validation_error
from commissioning.kernel.pagination import paginate
from commissioning.permissions import signed_in_user
from commissioning.procurement.models import Opportunity
from commissioning.procurement.services import interest_holders
from commissioning.procurement.views import get_visible


def _crumbs(opportunity: Opportunity, label: str | None = None) -> list[tuple[str, str | None]]:
    crumbs: list[tuple[str, str | None]] = [
        ("Opportunities", reverse("procurement:list")),
        (opportunity.reference, opportunity.get_absolute_url()),
    ]
    if label is None:
        return [*crumbs, ("Questions and answers", None)]
    return [*crumbs, ("Questions and answers", _list_url(opportunity)), (label, None)]


def _list_url(opportunity: Opportunity) -> str:
    return reverse("clarifications:list", args=[opportunity.reference])


def _save(form: BaseForm, action: Callable[[], Any]) -> bool:
    if not form.is_valid():
        return False
    try:
        action()
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    except StaleEdit as stale:  # a save from a stale version (issue 13)
        form.refuse_stale(stale)  # type: ignore[attr-defined]
        return False
    return True


def question_list(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = get_visible(request, reference)
    context = paginate(request, queries.questions_of(opportunity, request.user))
    context.update(
        {
            "opportunity": opportunity,
            "rows": queries.rows(context["page_obj"].object_list, request.user, opportunity),
            "summary": queries.summary(opportunity),
            "can_answer": access.can_answer(request.user, opportunity),
            "crumbs": _crumbs(opportunity),
            **queries.ask_state(request.user, opportunity),
        }
    )
    return render(request, "clarifications/list.html", context)


@login_required
def ask(request: HttpRequest, reference: str) -> HttpResponse:
    opportunity = get_visible(request, reference)
    if not access.can_ask(request.user, opportunity):
        raise PermissionDenied("Only approved members of a provider organisation can ask.")
    form = AskForm(
        request.POST or None,
        opportunity=opportunity,
        organisations=access.asking_organisations(request.user),
    )
    if request.method == "POST":
        created: list[Question] = []

        def action() -> None:
            created.append(
                services.ask_question(
                    signed_in_user(request),
                    opportunity,
                    text=form.cleaned_data["text"],
                    organisation=form.chosen_organisation(),
                    lot=form.cleaned_data.get("lot"),
                    submission_key=form.cleaned_data["submission_key"],
                )
            )

        if _save(form, action):
            messages.success(
                request,
                f"Question {created[0].number} sent. The answer is due by "
                f"{long_date(created[0].due_on)} and will be published here without your name.",
            )
            return HttpResponseRedirect(_list_url(opportunity))
    context = {
        "opportunity": opportunity,
        "form": form,
        "closed": services.asking_problem(opportunity),
        "cancel_url": _list_url(opportunity),
        "crumbs": _crumbs(opportunity, "Ask a question"),
    }
    return render(request, "clarifications/ask.html", context)


def _managed_question(request: HttpRequest, reference: str, number: int) -> Question:
    opportunity = get_visible(request, reference)
    if not access.can_answer(request.user, opportunity):
        raise PermissionDenied("Only the commissioners of this opportunity can do that.")
    question = (
        Question.objects.select_related("opportunity", "lot")
        .filter(opportunity=opportunity, number=number)
        .first()
    )
    if question is None:
        raise Http404("No such question")
    question.opportunity = opportunity
    return question


def _question_page(
    request: HttpRequest, question: Question, form: BaseForm, *, title: str, submit: str
) -> HttpResponse:
    opportunity = question.opportunity
    context = {
        "opportunity": opportunity,
        "question": question,
        "row": queries.rows([question], request.user, opportunity)[0],
        "form": form,
        "title": title,
        "submit_label": submit,
        "cancel_url": _list_url(opportunity),
        "crumbs": _crumbs(opportunity, title),
    }
    return render(request, "clarifications/question_form.html", context, status=page_status(form))


def _not_awaiting(request: HttpRequest, question: Question) -> HttpResponse:
    status = question.get_status_display().lower()
    messages.error(request, f"Question {question.number} is already {status}.")
    return HttpResponseRedirect(services.question_url(question))


def _names_checked(form: EditTextForm | ConfirmAnswerForm, question: Question) -> bool:
    """Validate ``form``, asking for the names confirmation when its wording names someone
    registered on the platform (PRO-4)."""
    wording = form.data.get("text", "")
    form.ask_to_confirm(naming.registered_names(question, wording) if wording else [])
    return form.is_valid()


def _check_page(request: HttpRequest, question: Question, form: ConfirmAnswerForm) -> HttpResponse:
    opportunity = question.opportunity
    title = f"Check before publishing the answer to question {question.number}"
    context = {
        "opportunity": opportunity,
        "question": question,
        "form": form,
        "title": title,
        "recipients": len(interest_holders(opportunity)),
        "crumbs": _crumbs(opportunity, title),
    }
    return render(request, "clarifications/answer_check.html", context)


@login_required
def answer(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """Write the published wording and the answer, check them (with a warning for every
    registered name the wording still contains), then publish: nothing goes out before the
    commissioner confirms on the check page (PRO-4). The wording starts empty, never as asked."""
    question = _managed_question(request, reference, number)
    if question.status != Question.Status.AWAITING:
        return _not_awaiting(request, question)
    initial = {"text": question.text} if question.text_edited else {}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and "change" not in request.POST and form.is_valid():
        if "publish" not in request.POST:
            names = naming.registered_names(question, form.cleaned_data["text"])
            check = ConfirmAnswerForm(initial=form.cleaned_data, names=names)
            return _check_page(request, question, check)
        check = ConfirmAnswerForm(request.POST, names=[])
        published: list[services.Published] = []

        def action() -> None:
            published.append(
                services.publish_answer(
                    signed_in_user(request),
                    question,
                    answer=check.cleaned_data["answer"],
                    text=check.cleaned_data["text"],
                    names_confirmed=check.names_confirmed(),
                )
            )

        if not (_names_checked(check, question) and _save(check, action)):
            return _check_page(request, question, check)
        message = f"Question {question.number} and its answer are published."
        if published[0].date_changes:
            message += " The answer was late, so the bid deadline moved automatically."
        messages.success(request, message)
        return HttpResponseRedirect(services.question_url(question))
    title = f"Answer question {question.number}"
    return _question_page(request, question, form, title=title, submit="Continue")


@login_required
def edit_text(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """Change the wording of an answered question; the names check applies as on publishing."""
    question = _managed_question(request, reference, number)
    if question.status != Question.Status.ANSWERED:
        messages.error(request, f"Question {question.number} has no published wording yet.")
        return HttpResponseRedirect(services.question_url(question))
    form = EditTextForm(request.POST or None, initial={"text": question.text}, versioned=question)
    if (
        request.method == "POST"
        and _names_checked(form, question)
        and _save(
            form,
            lambda: services.edit_published_text(
                signed_in_user(request),
                question,
                text=form.cleaned_data["text"],
                names_confirmed=form.names_confirmed(),
                version=form.edited_version(),
            ),
        )
    ):
        messages.success(request, f"The published wording of question {question.number} changed.")
        return HttpResponseRedirect(services.question_url(question))
    title = f"Edit the wording of question {question.number}"
    return _question_page(request, question, form, title=title, submit="Save wording")


@login_required
def close(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    question = _managed_question(request, reference, number)
    if question.status != Question.Status.AWAITING:
        return _not_awaiting(request, question)
    form = CloseForm(request.POST or None, question=question)
    if request.method == "POST" and _save(
        form,
        lambda: services.close_question(
            signed_in_user(request),
            question,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
            duplicate_of=form.cleaned_data.get("duplicate_of"),
        ),
    ):
        messages.success(request, f"Question {question.number} closed.")
        return HttpResponseRedirect(services.question_url(question))
    title = f"Close question {question.number}"
    return _question_page(request, question, form, title=title, submit="Close question")
