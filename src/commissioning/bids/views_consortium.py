"""Bidding together (PRO-6): the lead says how it bids together and its own share, adds and
removes members; each member's people see the invitation and confirm or decline on the same
page as a sub-contractor (:func:`views_consent.answer_page`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from commissioning.bids import access, consortium
from commissioning.bids.forms import ConsortiumLeadForm, ConsortiumMemberForm
from commissioning.bids.models import ConsortiumMember
from commissioning.bids.views_common import bid_crumbs, confirm_page, form_page, own_bid, save_form
from commissioning.bids.views_consent import answer_page
from commissioning.permissions import signed_in_user


@login_required
def lead(request: HttpRequest, pk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    current = consortium.consortium_of(bid)
    initial = (
        {
            "arrangement": current.arrangement,
            "lead_role": current.lead_role,
            "lead_share": current.lead_share,
        }
        if current
        else {}
    )
    form = ConsortiumLeadForm(request.POST or None, initial=initial)

    def save() -> None:
        data = form.cleaned_data
        consortium.set_lead(
            signed_in_user(request),
            bid,
            arrangement=data["arrangement"],
            lead_role=data["lead_role"],
            lead_share=data["lead_share"],
        )

    done = save_form(
        request,
        form,
        save,
        "Saved: now add the members you are bidding with.",
        reverse("bids:bid", args=[bid.pk]) + "#consortium",
    )
    return done or form_page(
        request,
        form,
        title="Bid together",
        caption=f"Bid for {bid.lot}",
        intro=f"{bid.organisation} is the lead: it prepares and submits the sealed bid. Each "
        "member must confirm before you can submit.",
        crumbs=bid_crumbs(bid, "Bid together"),
        submit_label="Save and continue",
        cancel_url=reverse("bids:bid", args=[bid.pk]),
    )


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    form = ConsortiumMemberForm(request.POST or None, lead=bid.organisation)

    def add() -> None:
        data = form.cleaned_data
        consortium.add_member(
            signed_in_user(request),
            bid,
            data["organisation"],
            role=data["role"],
            share=data["share"],
        )

    done = save_form(
        request,
        form,
        add,
        "Member added: they have been asked to confirm.",
        reverse("bids:bid", args=[bid.pk]) + "#consortium",
    )
    return done or form_page(
        request,
        form,
        title="Add a member",
        caption=f"Bid for {bid.lot}",
        intro="The organisation will see its role and share here, and must confirm before you "
        "can submit the bid.",
        crumbs=bid_crumbs(bid, "Add a member"),
        submit_label="Add member and ask them to confirm",
        cancel_url=reverse("bids:bid", args=[bid.pk]),
    )


@login_required
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    bid = own_bid(request, pk)
    members = ConsortiumMember.objects.select_related("organisation", "consortium__bid")
    member = get_object_or_404(members, consortium__bid=bid, pk=member_pk)
    back = reverse("bids:bid", args=[bid.pk]) + "#consortium"
    return confirm_page(
        request,
        action=lambda: consortium.remove_member(signed_in_user(request), member),
        success=f"{member.organisation} removed from the consortium.",
        done_url=back,
        title=f"Remove {member.organisation} from the consortium?",
        button="Remove member",
        warning=True,
        cancel_url=back,
        crumbs=bid_crumbs(bid, "Remove a member"),
    )


@login_required
def invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's invitation to bid together: its role and share, confirm or decline."""
    member = get_object_or_404(
        ConsortiumMember.objects.select_related(
            "organisation", "consortium__bid__organisation", "consortium__bid__lot__opportunity"
        ),
        pk=pk,
    )
    if not access.can_answer_subcontract(request.user, member):
        raise PermissionDenied("Only members of the invited organisation can see this request.")
    return answer_page(
        request,
        member,
        member.consortium.bid,
        "bids/consortium_request.html",
        reverse("bids:consortium-request", args=[member.pk]),
        {
            "consortium": member.consortium,
            "others": consortium.members(member.consortium.bid),
            "crumb": "Invitation to bid together",
        },
    )
