"""The month's highlights page and its CSV, for internal communications' newsletter."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import display
from ambassade.core.authz import Actor, require
from ambassade.core.csv_export import csv_response
from ambassade.recognition import highlights


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


@require("recognition.view")
def page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        month = highlights.month_of(request.GET.get("month"), today)
    except ValidationError as refused:
        return render(
            request,
            "recognition/highlights.html",
            {"error": refused.messages[0], "month_value": request.GET.get("month", "")},
            status=400,
        )
    return render(
        request,
        "recognition/highlights.html",
        {
            "highlights": highlights.build(_actor(request).organisation, month),
            "month_value": month.label,
        },
    )


@require("recognition.view")
def as_csv(request: HttpRequest) -> HttpResponse:
    try:
        month = highlights.month_of(request.GET.get("month"), timezone.localdate())
    except ValidationError as refused:
        return HttpResponse(refused.messages[0], status=400, content_type="text/plain")
    found = highlights.build(_actor(request).organisation, month)
    return csv_response(
        f"highlights-{month.label}.csv",
        [
            _("Person"),
            _("Department"),
            _("Content"),
            _("Network"),
            _("Published"),
            _("Human clicks"),
            _("Message"),
            _("Link to the post"),
        ],
        (
            [
                post.person,
                post.department,
                post.item,
                display.name("network", post.network),
                post.published_at.date().isoformat(),
                post.human_clicks,
                post.message,
                post.url,
            ]
            for post in found.posts
        ),
    )
