"""Keeps signed-in pages and API answers out of every cache (browser, proxy, back button).

A page seen while signed in shows personal data (names, HR notes, figures, tokens): a
shared proxy or the browser's disk cache must not keep it, so that it is not shown again
after signing out or to the next user of the same computer. Every answer under /api/ is
treated the same way, whoever asks and whatever the status.

What sets its own Cache-Control keeps it: the short links /r/<code> (already
``private, no-store``), /healthz (``never_cache``), the stored images under /media/ (named
by content hash, cached for a year). Static files never get here: WhiteNoise, listed
before this middleware, answers them with its own headers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

API_PREFIX = "/api/"


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        api = request.path_info.startswith(API_PREFIX)
        if api or (not response.has_header("Cache-Control") and _signed_in(request)):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _signed_in(request: HttpRequest) -> bool:
    # A request stopped before AuthenticationMiddleware ran has no user attribute.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
