"""My posts and my weekly schedule (ambassador space). Thin: the actions decide.

The composer is in views_composer.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, require
from ambassade.people.models import Person
from ambassade.sharing import actions, dates, post_hooks, scheduling, selectors, share_links
from ambassade.sharing.actions.queue import parse_times
from ambassade.sharing.forms import RescheduleForm
from ambassade.sharing.models import CANCELLABLE, QueueSlot, TargetStatus
from ambassade.tracking.actions import short_url

WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]


def _person(request: HttpRequest) -> tuple[Actor, Person]:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    return actor, actor.person


@require_POST
@require("sharing.share")
def verify(request: HttpRequest, target_id: int) -> HttpResponse:
    actor, person = _person(request)
    target = selectors.target_of(person, target_id)
    online = request.POST.get("online") == "yes"
    try:
        actions.verify_target(actor, target, online=online)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("Noted: the post is online.") if online else _("The post will be published.")
        )
    return redirect("sharing:posts")


@require("sharing.view_own")
def posts(request: HttpRequest) -> HttpResponse:
    _actor, person = _person(request)
    targets = list(selectors.targets_of(person)[:100])
    for target in targets:
        target.links = post_hooks.links_for(target)  # type: ignore[attr-defined]
        # Declared shares: the "open in <network>" link with the tracked link and message.
        target.open_url = ""  # type: ignore[attr-defined]
        if target.status == TargetStatus.DECLARED and target.tracked_link is not None:
            target.open_url = share_links.share_link(  # type: ignore[attr-defined]
                target.network,
                short_url(target.tracked_link),
                target.share.message,
                target.share.item.title,
            )
    return render(
        request,
        "sharing/posts.html",
        {
            "targets": targets,
            "cancellable": set(CANCELLABLE),
            "paused": selectors.pause_of(person.organisation),
            "held": selectors.holds(person.organisation_id, person.pk),
            "day_hint": dates.day_hint(),
            "time_hint": dates.time_hint(),
        },
    )


@require_POST
@require("sharing.share")
def cancel(request: HttpRequest, target_id: int) -> HttpResponse:
    actor, person = _person(request)
    target = selectors.target_of(person, target_id)
    try:
        actions.cancel_target(actor, target)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The post is cancelled."))
    return redirect("sharing:posts")


@require("sharing.share")
def delete(request: HttpRequest, target_id: int) -> HttpResponse:
    """Deleting a published post from the network: a confirmation page, then the POST."""
    actor, person = _person(request)
    target = selectors.target_of(person, target_id)
    if request.method == "POST":
        withdraw = request.POST.get("withdraw_link") == "on"
        try:
            done = actions.delete_from_network(actor, target, withdraw_tracked_link=withdraw)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("The post was already gone from %(network)s; it is marked deleted here.")
                % {"network": target.network_name}
                if done.already_gone
                else _("The post is deleted from %(network)s.") % {"network": target.network_name},
            )
        return redirect(f"{reverse('sharing:posts')}#post-{target.pk}")
    return render(request, "sharing/delete.html", {"target": target})


@require_POST
@require("sharing.share")
def reschedule(request: HttpRequest, target_id: int) -> HttpResponse:
    """A post returned to its author, planned again at the date and time they typed."""
    actor, person = _person(request)
    target = selectors.target_of(person, target_id)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return redirect("sharing:posts")
    when = form.cleaned_data.get("when") or "schedule"
    at = form.cleaned_data.get("at")
    if at is not None:
        at = at.replace(tzinfo=scheduling.zone_of(person))
    try:
        actions.reschedule_target(actor, target, when=when, at=at)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The post is scheduled again."))
    return redirect("sharing:posts")


@require("sharing.view_own")
def schedule(request: HttpRequest) -> HttpResponse:
    """The person's weekly queue slots: one line of times per weekday."""
    actor, person = _person(request)
    days = [(index, name) for index, name in enumerate(WEEKDAYS)]
    current: dict[int, list[str]] = {index: [] for index, _name in days}
    for slot in QueueSlot.objects.filter(person=person):
        current[slot.weekday].append(slot.at.strftime("%H:%M"))
    values = {index: ", ".join(times) for index, times in current.items()}
    error = ""
    if request.method == "POST":
        values = {index: request.POST.get(f"day{index}", "")[:200] for index, _name in days}
        try:
            parsed = {index: parse_times(text) for index, text in values.items()}
            actions.set_queue_slots(actor, parsed)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, _("Your weekly schedule is saved."))
            return redirect("sharing:schedule")
    rows = [{"index": index, "name": name, "value": values[index]} for index, name in days]
    return render(
        request,
        "sharing/schedule.html",
        {"rows": rows, "error": error, "time_zone": scheduling.zone_of(person)},
    )
