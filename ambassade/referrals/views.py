"""Pages of referrals: the referral form and "My referrals" (everyone who reads the
feed), each offer's referrals (HR, admins), and the candidate's two public pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.referrals import actions, links, selectors
from ambassade.referrals.forms import ReferForm
from ambassade.referrals.models import Referral
from ambassade.tracking.actions import short_url


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    return actor


@require("referrals.refer")
def refer(request: HttpRequest, item_id: int) -> HttpResponse:
    actor = _actor(request)
    offer = actions.referable_offers(actor).filter(pk=item_id).first()
    if offer is None:
        raise Http404
    form = ReferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referred = actions.refer(
                actor,
                offer.pk,
                form.cleaned_data["name"],
                form.cleaned_data["email"],
                form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if referred.created:
                messages.success(
                    request,
                    _(
                        "Thank you. We sent them one e-mail to confirm; nothing is kept if "
                        "they do not."
                    ),
                )
            else:
                messages.info(
                    request,
                    _(
                        "This person has already been referred for this offer: they have "
                        "their e-mail already, so we sent nothing more."
                    ),
                )
            return redirect("referrals:mine")
    return render(request, "referrals/refer.html", {"offer": offer, "form": form})


@require("referrals.refer")
def mine(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    assert actor.person is not None
    referrals = selectors.mine(actor.person).select_related("offer")
    return render(request, "referrals/mine.html", {"referrals": referrals})


@require("referrals.manage")
def offers(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    rows = selectors.counts(actor.organisation)
    return render(request, "referrals/offers.html", {"rows": rows})


@require("referrals.manage")
def offer(request: HttpRequest, item_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    row = selectors.offer_detail(actor.organisation, item_id)
    if row is None:
        raise Http404
    return render(request, "referrals/offer.html", {"row": row})


@require_POST
@require("referrals.manage")
def erase(request: HttpRequest, referral_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    found = Referral.objects.filter(organisation=actor.organisation, pk=referral_id).first()
    if found is None:
        raise Http404
    actions.erase(actor, referral_id)
    messages.success(request, _("The referral is erased."))
    return redirect("referrals:offer", found.offer_id)


def _language(request: HttpRequest, referral: Referral) -> str:
    """The candidate's language: their browser's, else the organisation's."""
    if request.META.get("HTTP_ACCEPT_LANGUAGE"):
        return translation.get_language_from_request(request)
    return referral.organisation.default_language or "en"


# The candidate has no session: the signed token in the address is what authorises these
# two POSTs (as the digest's unsubscribe), so a browser that refuses cookies still works.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners open links), the POST confirms."""
    referral = links.referral_of(token)
    if referral is None:
        return _gone(request)
    with translation.override(_language(request, referral)):
        if request.method == "POST":
            referral = actions.confirm(referral)
        confirmed = referral.status != Referral.Status.AWAITING
        offer_link = short_url(referral.link) if confirmed and referral.link else ""
        return render(
            request,
            "referrals/confirm.html",
            {
                "referral": referral,
                "confirmed": confirmed,
                "offer_link": offer_link,
                "token": token,
            },
        )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, token: str) -> HttpResponse:
    referral = links.referral_of(token)
    if referral is None:
        return _gone(request)
    with translation.override(_language(request, referral)):
        if request.method == "POST":
            actions.decline(referral)
            return render(request, "referrals/declined.html", {})
        return render(request, "referrals/decline.html", {"referral": referral, "token": token})


def _gone(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/gone.html", {}, status=404)
