"""Choosing the language; signing in and out around django-allauth's views.

Signing in first asks the registered routes (``sign_in_routes``): an address of a domain
bound to the organisation's identity provider goes there, unless the person asked to use
their password. Signing out asks, before the session ends, whether the provider's session
should end too.
"""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account import views as allauth_views
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from ambassade.accounts import sign_in_routes

# The sign-in form's "use my password instead" box, and the organisation-account form
# (the address alone).
PASSWORD_INSTEAD = "password_instead"  # noqa: S105 (a field name)
ORGANISATION_ACCOUNT = "organisation_account"


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus remembering the choice on the signed-in account."""
    response = set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and check_for_language(language) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response


def login(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and not request.POST.get(PASSWORD_INSTEAD):
        email = request.POST.get("login", "").strip()
        if "@" in email:
            routed = sign_in_routes.route(request, email)
            if routed is not None:
                return routed
        if request.POST.get(ORGANISATION_ACCOUNT):
            messages.error(
                request,
                _(
                    "No single sign-on is set up for this address. Check it, or sign in "
                    "with your password."
                ),
            )
            url = reverse("accounts:login")
            next_url = request.POST.get("next", "")
            return HttpResponseRedirect(
                url + ("?" + urlencode({"next": next_url}) if next_url else "")
            )
    response: HttpResponse = allauth_views.login(request)
    return response


def logout(request: HttpRequest) -> HttpResponse:
    provider_url = None
    if request.method == "POST" and request.user.is_authenticated:
        # Asked before the session ends: the provider's logout needs what it holds.
        provider_url = sign_in_routes.logout_redirect(request)
    response: HttpResponse = allauth_views.logout(request)
    if provider_url and response.status_code == 302:
        return HttpResponseRedirect(provider_url)
    return response
