"""The operator's page: every organisation of the instance, created, suspended, resumed.

The operator is an account with ``is_staff`` (the "operator" box of Django's admin, or
``ambassade manage createsuperuser``), not a role inside an organisation: a company's
admin never reaches this page nor sees other organisations.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.models import Organisation
from ambassade.people.actions import resume_organisation, suspend_organisation
from ambassade.people.setup_forms import OrganisationForm


def operator_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _operator_label(request: HttpRequest) -> str:
    return _("operator %(email)s") % {"email": request.user.email}  # type: ignore[union-attr]


class OperatorOrganisationForm(OrganisationForm):
    via = "operator"


@operator_only
def organisations(request: HttpRequest) -> HttpResponse:
    form = OperatorOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = form.save()
        if created is not None:
            messages.success(
                request,
                _("%(name)s is created; its admin is %(email)s.")
                % {"name": created.organisation.name, "email": created.admin.email},
            )
            return redirect("people:operator_organisations")
    listing = Organisation.objects.annotate(people_count=Count("people")).order_by("name")
    return render(request, "people/operator.html", {"organisations": listing, "form": form})


@require_POST
@operator_only
def suspend(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if suspend_organisation(organisation, operator=_operator_label(request), via="operator"):
        messages.success(request, _("%(name)s is suspended.") % {"name": organisation.name})
    return redirect("people:operator_organisations")


@require_POST
@operator_only
def resume(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if resume_organisation(organisation, operator=_operator_label(request), via="operator"):
        messages.success(request, _("%(name)s is active again.") % {"name": organisation.name})
    return redirect("people:operator_organisations")
