"""The link of an invitation mail, the one way in: choose a password (no account yet) or
sign in (an account), then the invitation's charter and answer; or, when the link expired
or was used, ask for a new one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ambassade.accounts.models import User
from ambassade.core.forms import add_action_errors
from ambassade.people.middleware import SESSION_ORGANISATION_KEY
from ambassade.programs import actions
from ambassade.programs.actions import LinkState
from ambassade.programs.models import Invitation

# Django's own backend: the password was just chosen, there is nothing to authenticate.
_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _page(
    request: HttpRequest, invitation: Invitation | None, state: str, **extra: object
) -> HttpResponse:
    status = {"unknown": 404, "open": 200, "other": 403}.get(state, 410)
    context = {"invitation": invitation, "state": state, **extra}
    return render(request, "programs/invitation_link.html", context, status=status)


def _enter(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    # The invitee may belong to several organisations: this one is the invitation's.
    request.session[SESSION_ORGANISATION_KEY] = invitation.program.organisation_id
    return redirect("programs:invitation", invitation.pk)


@never_cache
def invitation_link(request: HttpRequest, token: str) -> HttpResponse:
    invitation = actions.invitation_for_link(token)
    if invitation is None:
        return _page(request, None, "unknown")
    state = actions.link_state(invitation)
    person = invitation.person
    user = request.user if request.user.is_authenticated else None
    if user is not None and user.pk == person.user_id:
        if state == LinkState.ANSWERED:
            return redirect("programs:mine")
        if state != LinkState.EXPIRED:
            return _enter(request, invitation)
    if state != LinkState.OPEN:
        return _page(request, invitation, state)
    if not actions.needs_password(invitation):
        account = actions.account_of_invitee(invitation)
        if user is not None and account is not None and user.pk == account.pk:
            # Their account from another organisation, now signed in: join the two.
            try:
                actions.join_signed_in_account(invitation, account)
            except ValidationError as error:
                return _page(request, invitation, "other", errors=error.messages)
            return _enter(request, invitation)
        if user is not None:
            return _page(request, invitation, "other")
        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
    return _choose_password(request, invitation)


def _choose_password(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    person = invitation.person
    # The validators compare the password with the person's name and e-mail.
    subject = actions.account_of_invitee(invitation) or User(
        email=person.email, display_name=person.full_name
    )
    form = SetPasswordForm(subject, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.choose_password(invitation, form.cleaned_data["new_password1"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            login(request, user, backend=_BACKEND)
            return _enter(request, invitation)
    return _page(request, invitation, "open", form=form)


@require_POST
def ask_for_new_link(request: HttpRequest, token: str) -> HttpResponse:
    invitation = actions.invitation_for_link(token)
    if invitation is None:
        return _page(request, None, "unknown")
    state = actions.link_state(invitation)
    if state not in (LinkState.EXPIRED, LinkState.USED):
        return redirect("programs:invitation_link", token)
    if actions.ask_for_new_link(invitation):
        messages.success(
            request, _("Your request is sent: you will receive a new invitation by e-mail.")
        )
    else:
        messages.info(
            request,
            _("You already asked for a new link recently: the request was passed on."),
        )
    return _page(request, invitation, state, asked=True)
