"""Arriving: the page behind a sign-in invitation's one-time link (choose a password, sign
in), and the page a person lands on afterwards (where they stand, the next step)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from ambassade.accounts.models import User
from ambassade.core.authz import require
from ambassade.core.forms import add_action_errors
from ambassade.people import actions
from ambassade.people.first_steps import first_steps
from ambassade.people.landing import where_they_are
from ambassade.people.middleware import SESSION_ORGANISATION_KEY


@never_cache
def welcome(request: HttpRequest, token: str) -> HttpResponse:
    invitation = actions.invitation_for(token)
    if invitation is None:
        raise Http404
    person = invitation.person
    expired = invitation.expires_at <= timezone.now()
    used = invitation.accepted_at is not None
    existing = User.objects.filter(email__iexact=person.email).first()
    form: forms.Form
    if existing is not None:
        # An account with this e-mail exists: it keeps its password, only gains a membership.
        form = forms.Form(request.POST if request.method == "POST" else None)
    else:
        # The validators compare the password with the person's name and e-mail.
        form = SetPasswordForm(
            User(email=person.email, display_name=person.full_name), request.POST or None
        )
    if request.method == "POST" and not expired and not used and form.is_valid():
        try:
            user = actions.accept_account_invitation(
                invitation, form.cleaned_data.get("new_password1", "")
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if existing is not None:
                return redirect("accounts:login")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_ORGANISATION_KEY] = person.organisation_id
            return redirect("home")
    return render(
        request,
        "people/welcome.html",
        {
            "form": form,
            "person": person,
            "expired": expired,
            "used": used,
            "existing": existing,
        },
        status=410 if expired or used else 200,
    )


@require("profile.view")
def home(request: HttpRequest) -> HttpResponse:
    """Pending invitations, programs, then the one next step: computed from the person's
    data (the self-assessment questionnaire stays on the Me page)."""
    person = request.actor.person  # type: ignore[attr-defined]
    if person is None:
        raise Http404
    context = {"person": person, "first_steps": first_steps(person), **where_they_are(person)}
    return render(request, "people/home.html", context)
