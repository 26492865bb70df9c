"""The first-run page: the same setup as `ambassade setup`, once, behind a one-time code."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ambassade.core import first_run
from ambassade.people.setup_forms import FirstRunForm


@never_cache
def first_run_setup(request: HttpRequest) -> HttpResponse:
    # Gone for good once an organisation exists, and absent in development (no code).
    if not first_run.is_open():
        raise Http404
    form = FirstRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = form.save()
        if created is not None:
            first_run.close()
            messages.success(
                request,
                _("%(name)s is ready. Sign in as %(email)s to continue.")
                % {"name": created.organisation.name, "email": created.admin.email},
            )
            return redirect("accounts:login")
    return render(request, "people/first_run.html", {"form": form})
