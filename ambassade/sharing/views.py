"""The composer and "My posts" (ambassador space). Thin: the actions decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ambassade.content import guidelines, limits
from ambassade.content import selectors as content_selectors
from ambassade.content.models import ContentItem
from ambassade.core.authz import Actor, require
from ambassade.people.models import Person
from ambassade.programs.selectors import may_share
from ambassade.sharing import actions, scheduling, selectors, share_links
from ambassade.sharing.actions.queue import parse_times
from ambassade.sharing.actions.shares import TargetRequest, share_link_networks, similarity_check
from ambassade.sharing.forms import ComposerForm
from ambassade.sharing.models import CANCELLABLE, QueueSlot, TargetStatus
from ambassade.sharing.registry import display_name
from ambassade.tracking.actions import short_url

SHORT_LINK_PLACEHOLDER = "https://example.invalid/r/XXXXXXXX"
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


def _item(person: Person, item_id: int) -> ContentItem:
    audience = content_selectors.audience_of(person)
    item = get_object_or_404(content_selectors.feed(audience).select_related("program"), pk=item_id)
    if not item.shareable or item.program_id not in audience.enrolled_program_ids:
        raise Http404
    return item


def _errors(form: ComposerForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            target = field if field in form.fields else None
            for problem in problems:
                form.add_error(target, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


@require("sharing.share")
def composer(request: HttpRequest, item_id: int) -> HttpResponse:
    actor, person = _person(request)
    item = _item(person, item_id)
    accounts = list(selectors.accounts_of(person).defer("secrets"))
    links = sorted(share_link_networks())
    suggestions = list(item.messages.all())
    initial: dict[str, Any] = {"accounts": [a.pk for a in accounts if a.healthy]}
    chosen = request.GET.get("from", "")
    for suggestion in suggestions:
        if str(suggestion.pk) == chosen:
            initial["message"] = suggestion.full_text
    options = selectors.settings_of(person.organisation)
    tz = scheduling.zone_of(person)
    nudge: int | None = None
    blocked_by_copy = False
    form = ComposerForm(request.POST or None, initial=initial, accounts=accounts, links=links)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "apply" in request.POST:
            # One-click apply of a preferred term: re-render with the replacement.
            check = content_selectors.check_message(person.organisation, data["message"], "any")
            index = request.POST.get("apply", "")
            found = (
                check.suggestions[int(index)]
                if index.isdigit() and int(index) < len(check.suggestions)
                else None
            )
            post = request.POST.copy()
            if found is not None:
                post["message"] = guidelines.apply_suggestion(data["message"], found)
            form = ComposerForm(post, accounts=accounts, links=links)
            form.is_valid()
        else:
            when = request.POST.get("when", "now")
            at = data.get("at")
            if at is not None and timezone.is_naive(at):
                at = at.replace(tzinfo=tz)
            targets = [TargetRequest(account_id=pk) for pk in data["accounts"]]
            targets += [TargetRequest(network=name) for name in data["links"]]
            try:
                share = actions.create_share(
                    actor,
                    item,
                    data["message"],
                    targets,
                    when=when,
                    at=at,
                    accept_similar=data["accept_similar"],
                )
            except actions.TooSimilar as error:
                nudge = error.score
                blocked_by_copy = error.blocking
                form.add_error("message", error.messages[0])
            except ValidationError as error:
                _errors(form, error)
            else:
                states = {target.status for target in share.targets.all()}
                if TargetStatus.PAUSED in states:
                    messages.warning(
                        request, _("Publishing is paused by your organisation: your post waits.")
                    )
                else:
                    messages.success(request, _("Thank you! Your post is on its way."))
                return redirect("sharing:posts")
    text = form.data.get("message") if form.is_bound else initial.get("message", "")
    text = text or ""
    preview = content_selectors.check_message(person.organisation, text, "any") if text else None
    score = similarity_check(person, item, text) if text else 0
    now = timezone.now()
    caps = [
        {
            "network": display_name(network),
            "used": selectors.posts_on_day(person, network, now, tz),
            "cap": options.daily_cap,
        }
        for network in sorted({a.network for a in accounts})
    ]
    return render(
        request,
        "sharing/composer.html",
        {
            "item": item,
            "form": form,
            "suggestions": suggestions,
            "accounts": accounts,
            "check": preview,
            "score": score,
            "nudge": nudge
            if nudge is not None
            else (score if score >= options.similarity_threshold else None),
            "blocked_by_copy": blocked_by_copy or options.similarity_mode == "block",
            "options": options,
            "caps": caps,
            "quiet_now": scheduling.in_quiet_hours(options, now, tz),
            "paused": selectors.is_paused(person.organisation),
            "decision": may_share(person, item.program),
            "counts": limits.counts(f"{text}\n\n{SHORT_LINK_PLACEHOLDER}") if text else [],
            "placeholder_link": SHORT_LINK_PLACEHOLDER,
            "next_slot": scheduling.next_queue_slot(person),
            "time_zone": tz,
        },
    )


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
