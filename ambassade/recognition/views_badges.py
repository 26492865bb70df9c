"""The pages of badges: my badges (and whether colleagues see them), a colleague's badges,
and the console's list and form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, allowed, require
from ambassade.core.forms import add_action_errors
from ambassade.people.models import Person
from ambassade.recognition import badge_actions, badges
from ambassade.recognition.badge_forms import BadgeForm, ShowBadgesForm
from ambassade.recognition.ledger import profile_of
from ambassade.recognition.models import Badge, BadgeAward, Profile

MAX_UPLOAD = 8_000_000


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _person(request: HttpRequest) -> Person:
    person = _actor(request).person
    if person is None:
        raise Http404
    return person


def held_by(person: Person) -> list[BadgeAward]:
    return list(
        BadgeAward.objects.filter(
            person=person, badge__organisation_id=person.organisation_id
        ).select_related("badge")
    )


def to_earn(person: Person, held: list[BadgeAward]) -> list[dict[str, Any]]:
    """The active badges the person does not hold, with how far along they are."""
    remaining = list(
        Badge.objects.filter(organisation_id=person.organisation_id, active=True).exclude(
            pk__in=[award.badge_id for award in held]
        )
    )
    counts = badges.progress_of(person, {badge.criterion for badge in remaining})
    return [
        {"badge": badge, "done": min(counts.get(badge.criterion, 0), badge.threshold)}
        for badge in remaining
    ]


@require("recognition.view_own")
def mine(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    held = held_by(person)
    form = ShowBadgesForm(initial={"show_badges": profile_of(person).show_badges})
    return render(
        request,
        "recognition/badges_mine.html",
        {
            "person": person,
            "held": held,
            "to_earn": to_earn(person, held),
            "form": form,
            "can_choose": allowed(_actor(request), "recognition.manage_own"),
        },
    )


@require_POST
@require("recognition.manage_own")
def visibility(request: HttpRequest) -> HttpResponse:
    form = ShowBadgesForm(request.POST)
    form.is_valid()  # a checkbox: absent means no
    profile = badge_actions.show_badges(_actor(request), bool(form.cleaned_data["show_badges"]))
    if profile.show_badges:
        messages.success(request, _("Colleagues can now see your badges."))
    else:
        messages.success(request, _("Your badges are now seen by you alone."))
    return redirect("recognition:badges")


@require("recognition.view_own")
def of_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """A colleague's badges, if they chose to show them (404 otherwise: whether they have
    any is theirs to tell)."""
    actor = _actor(request)
    person = get_object_or_404(
        Person, organisation=actor.organisation, pk=person_id, anonymised_at__isnull=True
    )
    own = actor.person is not None and actor.person.pk == person.pk
    shown = Profile.objects.filter(person=person).values_list("show_badges", flat=True).first()
    if not own and shown is False:
        raise Http404
    return render(
        request,
        "recognition/badges_of_person.html",
        {"person": person, "held": held_by(person), "own": own, "shown": shown is not False},
    )


@require("recognition.view")
def console(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    found = Badge.objects.filter(organisation=actor.organisation).annotate(awarded=Count("awards"))
    return render(
        request,
        "recognition/badges_console.html",
        {"badges": found, "can_manage": allowed(actor, "recognition.manage")},
    )


def _save(request: HttpRequest, form: BadgeForm, badge: Badge | None) -> Badge | None:
    """Runs the action; on a refusal, puts its errors on the form and returns None."""
    upload = form.cleaned_data.get("image")
    if upload is not None and upload.size > MAX_UPLOAD:
        form.add_error("image", _("The image is larger than 8 MB."))
        return None
    try:
        if badge is None:
            return badge_actions.create_badge(
                _actor(request), image=form.image_bytes(), **form.values()
            )
        return badge_actions.change_badge(
            _actor(request), badge, image=form.image_bytes(), **form.values()
        )
    except ValidationError as error:
        add_action_errors(form, error)
        return None


@require("recognition.manage")
def new(request: HttpRequest) -> HttpResponse:
    form = BadgeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        badge = _save(request, form, None)
        if badge is not None:
            messages.success(request, _("Badge created."))
            return redirect("recognition:console_badges")
    return render(request, "recognition/badge_form.html", {"form": form, "badge": None})


@require("recognition.manage")
def edit(request: HttpRequest, badge_id: int) -> HttpResponse:
    badge = get_object_or_404(Badge, organisation=_actor(request).organisation, pk=badge_id)
    initial = {name: getattr(badge, name) for name in badge_actions.BADGE_FIELDS}
    form = BadgeForm(request.POST or None, request.FILES or None, initial=initial)
    saved = request.method == "POST" and form.is_valid() and _save(request, form, badge)
    if saved:
        messages.success(request, _("Badge saved."))
        return redirect("recognition:console_badges")
    return render(request, "recognition/badge_form.html", {"form": form, "badge": badge})


@require_POST
@require("recognition.manage")
def retire(request: HttpRequest, badge_id: int) -> HttpResponse:
    badge = get_object_or_404(Badge, organisation=_actor(request).organisation, pk=badge_id)
    try:
        badge_actions.change_badge(_actor(request), badge, active=not badge.active)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if badge.active:
            messages.success(request, _("Badge awarded again."))
        else:
            messages.success(
                request, _("Badge retired: no longer awarded, kept by those who earned it.")
            )
    return redirect("recognition:console_badges")
