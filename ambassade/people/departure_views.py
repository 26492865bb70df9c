"""Recording a departure now: a confirmation page that says what happens to the person's
data and when, then the action (people.actions.mark_left_now)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ambassade.core.authz import require
from ambassade.people import actions
from ambassade.people.models import EmploymentStatus
from ambassade.people.person_views import _actor, person_of


@require_http_methods(["GET", "POST"])
@require("people.manage")
def mark_left(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    person = person_of(actor, person_id)
    if person.employment_status == EmploymentStatus.LEFT or person.anonymised_at is not None:
        return redirect("people:person", person.pk)
    if request.method == "POST":
        try:
            actions.mark_left_now(actor, person)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The departure of %s is recorded.") % person.full_name)
        return redirect("people:person", person.pk)
    today = timezone.localdate()
    retention = person.organisation.retention_days_after_departure
    # The same dates as the daily task (people.tasks.anonymise_after_retention): the end
    # date becomes today, and anonymisation runs once it is older than the retention.
    context = {
        "person": person,
        "today": today,
        "retention_days": retention,
        "anonymised_on": today + timedelta(days=retention + 1),
        "last_admin": actions.is_last_admin(person),
    }
    return render(request, "people/departure_confirm.html", context)
