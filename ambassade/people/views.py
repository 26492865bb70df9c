"""The person's own pages: Me and API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ambassade.core.authz import allowed, require, scopes_for_roles
from ambassade.people import actions
from ambassade.people.forms import PreferencesForm, TokenForm
from ambassade.people.models import ApiToken, SelfAssessment

# Everything of the ambassador space that is not in the bottom bar, one tap from "Me":
# (permission, url name, label). Sharing needs a connected network, hence My accounts first.
MY_SPACE = [
    ("sharing.accounts", "sharing:accounts", _lazy("My accounts")),
    ("enrolment.view_own", "programs:mine", _lazy("My programs")),
    ("alumni.directory_own", "alumni:mine", _lazy("Alumni directory")),
    ("learning.take", "learning:path", _lazy("Learn")),
    ("coaching.ask", "coaching:mine", _lazy("My coach")),
    ("coaching.ask", "coaching:checklist", _lazy("My profile checklist")),
    ("delegation.view_own", "delegation:delegates", _lazy("My delegates")),
    ("delegation.view_own", "delegation:writing_for", _lazy("I write for…")),
    ("sharing.view_own", "sharing:schedule", _lazy("My weekly schedule")),
    ("autopilot.use", "autopilot:mine", _lazy("Autopilot")),
    ("contributions.manage_own", "contributions:mine", _lazy("My contributions")),
    ("recognition.view_own", "recognition:mine", _lazy("My points")),
    ("recognition.view_own", "recognition:challenge_mine", _lazy("My challenges")),
    ("recognition.view_own", "recognition:boards", _lazy("Boards")),
    ("recognition.view_own", "recognition:badges", _lazy("My badges")),
    ("recognition.view_own", "recognition:rewards", _lazy("Rewards")),
    ("recognition.view_own", "recognition:draws", _lazy("Prize draws")),
    ("suggestions.submit", "content:suggest", _lazy("Suggest something")),
    ("field.report", "field:mine", _lazy("Report from the field")),
    ("incidents.report", "incidents:mine", _lazy("Report a problem")),
    ("referrals.refer", "referrals:mine", _lazy("My referrals")),
    ("notifications.manage_own", "notifications:preferences", _lazy("Notification settings")),
    ("digest.manage_own", "digests:settings", _lazy("My e-mail digest")),
    ("push.manage_own", "push:device", _lazy("This device")),
]


@require("profile.view")
def me(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        actions.update_preferences(
            actor,
            request.user,  # type: ignore[arg-type]
            language=form.cleaned_data["language"],
            time_zone=form.cleaned_data["time_zone"],
        )
        messages.success(request, _("Your preferences are saved."))
        response = redirect("people:me")
        if form.cleaned_data["language"]:
            from django.conf import settings

            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                form.cleaned_data["language"],
                samesite="Lax",
                httponly=True,
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
        return response
    person = actor.person
    return render(
        request,
        "people/me.html",
        {
            "form": form,
            "person": person,
            "can_self_assess": allowed(actor, "self_assessment.fill"),
            "has_self_assessment": SelfAssessment.objects.filter(person=person).exists(),
            "alumni_offer": actions.alumni_offer_open(person),
            "can_use_api": allowed(actor, "tokens.manage_own"),
            "my_space": [
                {"url": reverse(name), "label": label}
                for permission, name, label in MY_SPACE
                if allowed(actor, permission)
            ],
        },
    )


@require("tokens.manage_own")
def tokens(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    can_manage_all = allowed(actor, "tokens.manage_organisation")
    scopes = scopes_for_roles(actor.roles)
    form = TokenForm(
        request.POST or None, organisation_tokens=can_manage_all, allowed_scopes=scopes
    )
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = actions.create_api_token(
                actor,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                organisation_wide=form.cleaned_data.get("organisation_wide", False),
                expires_at=form.cleaned_data["expires_at"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Token “%s” created. Copy it now: it will not be shown again.") % token.name,
            )
            form = TokenForm(organisation_tokens=can_manage_all, allowed_scopes=scopes)
    visible = ApiToken.objects.filter(organisation=actor.organisation).select_related("person")
    if not can_manage_all:
        visible = visible.filter(person=actor.person)
    return render(
        request,
        "people/tokens.html",
        {"form": form, "tokens": visible, "secret": secret, "can_manage_all": can_manage_all},
    )


@require_POST
@require("tokens.manage_own")
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    visible = ApiToken.objects.filter(organisation=actor.organisation)
    if not allowed(actor, "tokens.manage_organisation"):
        visible = visible.filter(person=actor.person)
    token = get_object_or_404(visible, pk=token_id)
    actions.revoke_api_token(actor, token)
    messages.success(request, _("Token “%s” revoked.") % token.name)
    return redirect("people:tokens")
