"""The public redirect ``/r/<code>``, the conversion pixel, and the admins' console pages.

The redirect reads nothing but the links cache once a code is warm, and hands its click
to the buffer (buffer.py): it never waits for a database write, and it never answers
with a server error.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ambassade.core.authz import Actor, allowed, require
from ambassade.core.errors import not_found
from ambassade.core.forms import add_action_errors
from ambassade.tracking import actions, codes, hot, lookup, visitors
from ambassade.tracking.forms import TrackingSettingsForm
from ambassade.tracking.models import Conversion, DailyLinkStats, TrackedLink, TrackingSettings

logger = logging.getLogger(__name__)

NO_STORE = hot.NO_STORE
# The smallest transparent GIF.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00"
    b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def _plain(status: int, text: str) -> HttpResponse:
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = NO_STORE
    return response


def _orphan(request: HttpRequest, code: str) -> HttpResponse:
    hot.record_orphan(code, request.META)
    try:
        response = not_found(request)
    except Exception:  # the page itself must not be what fails
        response = _plain(404, _("This link does not exist."))
    response["Cache-Control"] = NO_STORE
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def follow(request: HttpRequest, code: str) -> HttpResponse:
    """``/r/<code>``. The common case rarely gets here: see fastpath.py."""
    try:
        return _follow(request, code)
    except Exception:
        logger.exception("tracked link failed")
        return _plain(503, _("This link cannot be followed right now; try again in a moment."))


def _follow(request: HttpRequest, code: str) -> HttpResponse:
    if code.endswith("/"):
        code = code[:-1]
    if not codes.is_well_formed(code):
        return _orphan(request, code)
    try:
        entry = lookup.resolve(code)
    except lookup.Unavailable:
        response = _plain(503, _("This link cannot be followed right now; try again in a moment."))
        response["Retry-After"] = "30"
        return response
    if entry is None:
        return _orphan(request, code)
    self_click = (
        entry["u"] is not None
        and settings.SESSION_COOKIE_NAME in request.COOKIES
        and getattr(request.user, "pk", None) == entry["u"]
    )
    preview, flood = hot.record_click(
        entry, code, request.META, head=request.method == "HEAD", self_click=self_click
    )
    if flood >= hot.TOO_MANY:
        response = _plain(429, _("Too many requests; try again in a minute."))
        response["Retry-After"] = "60"
        return response
    if entry["w"] is not None:
        if entry["w"] == "gone":
            page = loader.get_template("tracking/gone.html").render({}, request)
            response = HttpResponse(page, status=410)
        else:
            response = HttpResponse(status=302)
            response["Location"] = entry["w"]
    elif preview:
        page = loader.get_template("tracking/preview.html").render({"card": entry["p"]})
        response = HttpResponse(page)
    else:
        # 302, never 301: a permanent redirect would be cached and its clicks never seen.
        response = HttpResponse(status=302)
        response["Location"] = entry["go"]
    response["Cache-Control"] = NO_STORE
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def conversion_pixel(request: HttpRequest, token: str) -> HttpResponse:
    """``/r/c/<signed payload>.gif``: always a GIF; the status and a header say what happened."""
    try:
        reported = actions.report_pixel(token)
        status, outcome = 200, "replayed" if reported.replayed else "recorded"
    except actions.ConversionError as error:
        status, outcome = error.status, error.code
    except Exception:
        logger.exception("conversion pixel failed")
        status, outcome = 503, "unavailable"
    response = HttpResponse(PIXEL, status=status, content_type="image/gif")
    response["Cache-Control"] = NO_STORE
    response["X-Ambassade-Conversion"] = outcome
    return response


# --- Console ----------------------------------------------------------------------------


def links_with_totals(organisation_id: int, days: int = 30) -> Any:
    """Links with their counters over the last ``days`` days: one query, however many."""
    since = visitors.utc_today().toordinal() - days + 1
    from datetime import date

    recent = Q(daily_stats__day__gte=date.fromordinal(since))
    conversions = (
        Conversion.objects.filter(link=OuterRef("pk"))
        .order_by()
        .values("link")
        .annotate(total=Count("id"))
        .values("total")
    )
    return (
        TrackedLink.objects.filter(organisation_id=organisation_id)
        .select_related("person")
        .annotate(
            human_clicks=Sum("daily_stats__human_clicks", filter=recent, default=0),
            unique_visitors=Sum("daily_stats__unique_visitors", filter=recent, default=0),
            previews=Sum("daily_stats__previews", filter=recent, default=0),
            bots=Sum("daily_stats__bots", filter=recent, default=0),
            self_clicks=Sum("daily_stats__self_clicks", filter=recent, default=0),
            # A subquery: joining conversions too would multiply the sums above.
            conversion_count=Coalesce(Subquery(conversions), 0),
        )
        .order_by("-created_at", "-id")
    )


@require("links.view")
def links(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    page = Paginator(links_with_totals(actor.organisation.pk), 50).get_page(request.GET.get("page"))
    options = actions.settings_or_defaults(actor.organisation)
    rows = [(link, actions.short_url(link, options)) for link in page.object_list]
    today = DailyLinkStats.objects.filter(
        link__organisation=actor.organisation, day=visitors.utc_today()
    ).aggregate(human=Sum("human_clicks", default=0), unique=Sum("unique_visitors", default=0))
    context = {
        "page": page,
        "rows": rows,
        "today": today,
        "days": 30,
        "can_configure": allowed(actor, "tracking.settings"),
    }
    return render(request, "tracking/links.html", context)


@require("tracking.settings")
def tracking_settings(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    options, _created = TrackingSettings.objects.get_or_create(organisation=actor.organisation)
    form = TrackingSettingsForm(request.POST or None, instance=options)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_tracking_settings(
                actor, {name: form.cleaned_data[name] for name in form.fields}
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("tracking:settings")
    return render(
        request,
        "tracking/settings.html",
        {"form": form, "pixel_secret": options.pixel_secret, "base_url": settings.BASE_URL},
    )
