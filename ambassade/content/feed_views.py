"""The ambassador's feed, “not interested”, and the share page (until the composer)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.content import actions, limits, selectors
from ambassade.content.models import ContentItem
from ambassade.core.authz import Actor, allowed, require
from ambassade.people.first_steps import first_steps
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment
from ambassade.programs.selectors import ShareDecision
from ambassade.programs.selectors import may_share as may_share_in

PAGE_SIZE = 20


def _person(actor: Actor) -> Person:
    if actor.person is None:
        raise Http404
    return actor.person


@require("feed.view")
def feed(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    audience = selectors.audience_of(_person(actor))
    channels = list(selectors.channels_of(actor.organisation))
    channel = request.GET.get("channel", "")
    channel_id = int(channel) if channel.isdigit() else None
    query = request.GET.get("q", "").strip()[:100]
    items = selectors.shareable_first(
        selectors.feed(audience, channel_id=channel_id, query=query).select_related("program"),
        audience,
    )
    # No COUNT(*) over the whole feed: one row more than a page says whether more follow.
    raw = request.GET.get("page", "1")
    number = min(max(int(raw), 1), 500) if raw.isdigit() else 1
    offset = (number - 1) * PAGE_SIZE
    rows = list(items[offset : offset + PAGE_SIZE + 1])
    shared = selectors.shared_networks(audience.person)
    paused = set(
        Enrolment.objects.filter(
            person=audience.person, status=Enrolment.Status.PAUSED
        ).values_list("program_id", flat=True)
    )
    now = timezone.now()
    cards = []
    # Asked once per program: the charter and the gates of apps above (training) may
    # close sharing with a reason and a link to lift it.
    decisions: dict[int, ShareDecision] = {}
    for item in rows[:PAGE_SIZE]:
        may_share = item.shareable and item.program_id in audience.enrolled_program_ids
        decision = None
        if may_share:
            if item.program_id not in decisions:
                decisions[item.program_id] = may_share_in(audience.person, item.program)
            decision = decisions[item.program_id]
            may_share = decision.allowed
        cards.append(
            {
                "item": item,
                "reason": selectors.why_in_feed(item, audience, now),
                "shared": item.pk in shared,
                "shared_on": shared.get(item.pk, []),
                "may_share": may_share,
                "why_not": ""
                if may_share
                else decision.reason
                if decision is not None
                else selectors.why_not_shareable(item, paused),
                "link": decision.link if decision is not None and not may_share else "",
                "link_label": decision.link_label if decision is not None else "",
            }
        )
    steps = first_steps(audience.person)
    return render(
        request,
        "content/feed.html",
        {
            "page_number": number,
            "previous_page": number - 1 if number > 1 else None,
            "next_page": number + 1 if len(rows) > PAGE_SIZE else None,
            "cards": cards,
            "channels": channels,
            "channel_id": channel_id,
            "query": query,
            "enrolled": bool(audience.enrolled_program_ids),
            "waiting_for_charter": bool(paused) and not audience.enrolled_program_ids,
            "can_suggest": allowed(actor, "suggestions.submit"),
            # Job offers' "Refer someone" (the referrals app).
            "may_refer": allowed(actor, "referrals.refer"),
            "steps_done": sum(1 for step in steps if step.done),
            "steps_total": len(steps),
        },
    )


def _visible(request: HttpRequest, item_id: int) -> ContentItem:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    audience = selectors.audience_of(_person(actor))
    return get_object_or_404(selectors.feed(audience), pk=item_id)


@require_POST
@require("feed.view")
def hide(request: HttpRequest, item_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = _visible(request, item_id)
    actions.hide_item(actor, item)
    messages.success(request, _("“%s” will no longer show in your feed.") % item.title)
    return redirect("content:feed")


@require("feed.view")
def share(request: HttpRequest, item_id: int) -> HttpResponse:
    """The item's suggested messages to copy, checked against the guidelines.

    The composer (network tabs, scheduling, posting) comes with the Sharing feature.
    """
    actor: Actor = request.actor  # type: ignore[attr-defined]
    item = _visible(request, item_id)
    audience = selectors.audience_of(actor.person)  # type: ignore[arg-type]
    if not item.shareable or item.program_id not in audience.enrolled_program_ids:
        raise Http404
    rows = []
    for message in item.messages.all():
        check = selectors.check_message(actor.organisation, message.full_text, message.network)
        rows.append(
            {
                "message": message,
                "check": check,
                "counts": limits.counts(check.text, message.network),
            }
        )
    return render(request, "content/share.html", {"item": item, "rows": rows})
