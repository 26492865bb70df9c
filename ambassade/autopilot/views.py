"""The person's Autopilot page (settings, queued posts to edit or cancel, what it did),
and the admins' page of its bounds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ambassade.autopilot import actions, selectors
from ambassade.autopilot.forms import AutopilotForm, AutopilotSettingsForm, EditPostForm
from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.people.models import Person


def _person(request: HttpRequest) -> tuple[Actor, Person]:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    return actor, actor.person


@require("autopilot.use")
def mine(request: HttpRequest) -> HttpResponse:
    actor, person = _person(request)
    pilot = selectors.autopilot_of(person)
    options = selectors.settings_of(person.organisation)
    initial = {
        "enabled": pilot.enabled,
        "template": pilot.template,
        "per_week": pilot.per_week,
        "channels": list(pilot.channels.all()) if pilot.pk else [],
        "accounts": list(pilot.accounts.all()) if pilot.pk else [],
    }
    form = AutopilotForm(request.POST or None, initial=initial, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.save_autopilot(
                actor,
                enabled=data["enabled"],
                template=data["template"],
                per_week=data["per_week"],
                channel_ids=[channel.pk for channel in data["channels"]],
                account_ids=[account.pk for account in data["accounts"]],
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if data["enabled"]:
                messages.success(request, _("Your autopilot is on."))
            else:
                messages.success(request, _("Your autopilot is off."))
            return redirect("autopilot:mine")
    return render(
        request,
        "autopilot/mine.html",
        {
            "pilot": pilot,
            "form": form,
            "options": options,
            "limit": selectors.weekly_limit(pilot, options),
            "waiting": list(selectors.waiting_posts(actor)),
            "recent": selectors.recent_posts(actor),
        },
    )


@require_POST
@require("autopilot.use")
def turn_off(request: HttpRequest) -> HttpResponse:
    actor = _person(request)[0]
    cancelled = actions.turn_off(actor)
    messages.success(
        request,
        ngettext(
            "Your autopilot is off; %(count)d queued post is cancelled.",
            "Your autopilot is off; %(count)d queued posts are cancelled.",
            cancelled,
        )
        % {"count": cancelled},
    )
    return redirect("autopilot:mine")


@require("autopilot.use")
def edit(request: HttpRequest, target_id: int) -> HttpResponse:
    actor = _person(request)[0]
    post = selectors.own_post(actor, target_id)
    assert post.target is not None
    form = EditPostForm(request.POST or None, initial={"message": post.target.share.message})
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_post(actor, target_id, form.cleaned_data["message"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Your post is changed."))
            return redirect("autopilot:mine")
    return render(request, "autopilot/edit.html", {"post": post, "form": form})


@require_POST
@require("autopilot.use")
def cancel(request: HttpRequest, target_id: int) -> HttpResponse:
    actor = _person(request)[0]
    try:
        actions.cancel_post(actor, target_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("This post is cancelled: it will not go out."))
    return redirect("autopilot:mine")


@require("autopilot.settings")
def console(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    options = selectors.settings_of(actor.organisation)
    form = AutopilotSettingsForm(
        request.POST or None,
        initial={"max_per_week": options.max_per_week, "preview_hours": options.preview_hours},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_settings(actor, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The autopilot's limits are saved."))
            return redirect("autopilot:console")
    return render(request, "autopilot/console.html", {"form": form})
