"""What each message says: featured content, the weekly summary, the test message.

The weekly figures are the analytics' own (``analytics.figures``: the daily rollup, the
same definitions and words as the program's Figures tab), over the last full week.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from ambassade.analytics import selection as selected
from ambassade.analytics.figures import FIGURES, _total, daily_totals
from ambassade.analytics.selection import Selection
from ambassade.chat_channels.messages import Button, Post
from ambassade.content.models import ContentItem
from ambassade.programs.models import Program


def absolute(path_or_url: str) -> str:
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return settings.BASE_URL.rstrip("/") + path_or_url


def featured_post(item: ContentItem) -> Post:
    buttons = []
    if item.shareable:  # internal news is never shared outside
        buttons.append(Button(_("Share"), absolute(reverse("sharing:composer", args=[item.pk]))))
    if item.url:
        buttons.append(Button(_("Read"), item.url))
    return Post(
        title=_("Featured: %(title)s") % {"title": item.title},
        text=item.description[:600],
        image_url=absolute(item.image_url) if item.image else "",
        image_alt=item.image_alt,
        buttons=buttons,
    )


def summary_week(monday: date) -> tuple[date, date]:
    """The full week before ``monday``: Monday to Sunday."""
    return monday - timedelta(days=7), monday - timedelta(days=1)


def summary_post(program: Program, monday: date) -> Post:
    start, end = summary_week(monday)
    rows = selected.rows(program, Selection()).filter(day__range=(start - timedelta(days=7), end))
    daily = daily_totals(rows)
    week = _total(daily, start, end)
    before = _total(daily, start - timedelta(days=7), end - timedelta(days=7))
    facts = [
        (
            str(label),
            _("%(value)s (week before: %(before)s)")
            % {
                "value": formats.number_format(week[key], force_grouping=True),
                "before": formats.number_format(before[key], force_grouping=True),
            },
        )
        for key, label, _anchor in FIGURES
    ]
    words = {
        "program": program.name,
        "start": formats.date_format(start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(end, "SHORT_DATE_FORMAT"),
    }
    quiet = not any(week[key] for key, _label, _anchor in FIGURES)
    return Post(
        title=_("%(program)s: the week of %(start)s to %(end)s") % words,
        text=_("No share and no click this week.") if quiet else "",
        facts=facts,
        buttons=[
            Button(_("See the figures"), absolute(reverse("analytics:program", args=[program.pk])))
        ],
        note=_(
            "Counted as on the program's Figures page (days in UTC, Monday to Sunday); "
            "“How we count” there explains each figure."
        ),
    )


def test_post(program: Program) -> Post:
    return Post(
        title=_("Ambassade is connected"),
        text=_(
            "This channel will receive the messages of the program “%(program)s”. "
            "This is a test message: there is nothing to do."
        )
        % {"program": program.name},
    )
