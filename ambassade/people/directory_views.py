"""The people list: filters kept in the query string, paging, and bulk actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ambassade.core import bulk
from ambassade.core.authz import allowed, require
from ambassade.core.csv_export import csv_response
from ambassade.core.models import Organisation
from ambassade.people import actions, audiences
from ambassade.people.models import Person

# The directory's lifecycle filter: (label, condition) by query-string value.
LIFECYCLE_FILTERS = {
    "active": (_lazy("Active"), Q(employment_status="active")),
    "on_leave": (_lazy("On leave"), Q(employment_status="on_leave")),
    "leaving": (
        _lazy("Leaving (end date recorded)"),
        Q(end_date__isnull=False) & ~Q(employment_status="left"),
    ),
    "left": (_lazy("Left"), Q(employment_status="left", anonymised_at__isnull=True)),
    "alumni": (_lazy("Alumni ambassadors"), Q(employment_status="left", alumni=True)),
    "anonymised": (_lazy("Anonymised"), Q(anonymised_at__isnull=False)),
}
# The audience criteria offered as the list's filters (one choice each).
FILTER_CRITERIA = ("department", "site", "ambassador_type")


def _filters(organisation: Organisation, params: dict[str, str]) -> list[dict[str, object]]:
    """Each filter's name, label, choices and current value, for the form above the list."""
    found = []
    for key in FILTER_CRITERIA:
        criterion = audiences.CRITERIA.get(key)
        if criterion is None:
            continue
        choices = criterion.choices(organisation)
        if choices:
            found.append(
                {
                    "key": key,
                    "label": criterion.label,
                    "choices": choices,
                    "value": params.get(key, ""),
                }
            )
    return found


def filtered_people(organisation: Organisation, params: dict[str, str]) -> QuerySet[Person]:
    """The organisation's people matching the query string's search and filters.

    A filter value the organisation does not offer is refused (400), never ignored."""
    people = Person.objects.filter(organisation=organisation).select_related(
        "department", "site", "manager"
    )
    query = params.get("q", "").strip()[:100]
    if query:
        people = people.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(job_title__icontains=query)
        )
    status = params.get("status", "")
    if status in LIFECYCLE_FILTERS:
        people = people.filter(LIFECYCLE_FILTERS[status][1])
    chosen = {key: [params[key]] for key in FILTER_CRITERIA if params.get(key)}
    audience = audiences.clean(organisation, chosen)
    return people.filter(audiences.condition(audience)).distinct()


@require("people.view")
def directory(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    params = {key: request.GET.get(key, "") for key in ("q", "status", *FILTER_CRITERIA)}
    status_code, filter_error = 200, ""
    try:
        people = filtered_people(actor.organisation, params)
    except ValidationError:
        # A hand-edited or stale link: say so, and show the list without those filters.
        status_code, filter_error = 400, _("A filter of this address does not exist any more.")
        params.update({key: "" for key in FILTER_CRITERIA})
        people = filtered_people(actor.organisation, params)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    can_manage = allowed(actor, "people.manage")
    can_invite = allowed(actor, "invitations.manage")
    return render(
        request,
        "people/directory.html",
        {
            "page": page,
            "query": params["q"],
            "status": params["status"],
            "params": params,
            "statuses": [(key, label) for key, (label, _q) in LIFECYCLE_FILTERS.items()],
            "filters": _filters(actor.organisation, params),
            "can_manage": can_manage,
            "can_bulk": can_manage or can_invite,
            "can_invite": can_invite,
            "can_segments": allowed(actor, "audiences.manage"),
            "can_import": allowed(actor, "people.import"),
            "can_candidates": allowed(actor, "candidates.view"),
            "filter_error": filter_error,
        },
        status=status_code,
    )


def _export(request: HttpRequest, people: QuerySet[Person]) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    rows = list(people)
    actions.record_people_export(actor, len(rows))
    header = [
        _("First name"),
        _("Last name"),
        _("Work e-mail"),
        _("Job title"),
        _("Department"),
        _("Site"),
        _("Employment status"),
    ]
    return csv_response(
        "people.csv",
        header,
        (
            [
                person.first_name,
                person.last_name,
                person.email,
                person.job_title,
                person.department.name if person.department else "",
                person.site.name if person.site else "",
                person.get_employment_status_display(),
            ]
            for person in rows
        ),
    )


@require_POST
@require("people.view")
def bulk_action(request: HttpRequest) -> HttpResponse:
    """The list's bulk form: export the ticked rows (or all filtered ones when none is
    ticked) as CSV, or invite the ticked people to a program (the programs page asks
    which one; a 307 keeps the form's fields)."""
    actor = request.actor  # type: ignore[attr-defined]
    action = request.POST.get("action", "")
    ticked = [value for value in request.POST.getlist("person") if value.isdigit()]
    if action == "invite":
        if not allowed(actor, "invitations.manage"):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("programs:bulk_invite"), status=307)
    if action != "export":
        messages.error(request, _("Choose what to do with the people."))
        return redirect("people:directory")
    if not allowed(actor, "people.manage"):
        raise PermissionDenied
    params = {key: request.POST.get(key, "") for key in ("q", "status", *FILTER_CRITERIA)}
    try:
        people = filtered_people(actor.organisation, params)
    except ValidationError:
        messages.error(request, _("A filter of this address does not exist any more."))
        return redirect("people:directory")
    if ticked:
        people = people.filter(pk__in=ticked[: bulk.MAX_ROWS])
    return _export(request, people)
