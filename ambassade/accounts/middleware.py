"""Applies the signed-in account's language and time zone to each request."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassade.accounts.policy import requirement


class UserPreferencesMiddleware:
    """Profile language wins over Accept-Language; the profile time zone localises dates.

    Runs after LocaleMiddleware (which already applied the cookie or Accept-Language),
    so a person who never chose a language simply follows their browser.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        response = self.get_response(request)
        timezone.deactivate()
        return response


# Where an overdue person may still go: the account pages (enrolment, sign-out, language),
# static files, the API (tokens are not sessions) and the health check.
TWO_FACTOR_OPEN_PREFIXES = ("/accounts/", "/static/", "/api/", "/healthz", "/media/")


class TwoFactorPolicyMiddleware:
    """After the grace period, a console role without a second factor enrols first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(TWO_FACTOR_OPEN_PREFIXES):
            pending = requirement(request)
            if pending is not None and pending.overdue:
                messages.warning(
                    request,
                    _(
                        "Your organisation requires two-factor authentication for your role. "
                        "Add an authenticator app or a passkey to continue."
                    ),
                )
                return redirect("mfa_index")
        return self.get_response(request)
