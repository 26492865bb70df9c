"""Where the sign-in page may send a person instead of asking for a password, and who may
not sign in with a password at all.

Accounts sits low in the layers: the apps that know about identity providers (single
sign-on) register here, and the sign-in and sign-out views ask, without importing them.

- A *route* ``(request, email) -> HttpResponse | None`` answers a sign-in by address (an
  address of a domain bound to an identity provider gets a redirect to it) or passes.
- A *password rule* ``(email) -> str | None`` returns the sentence that refuses a sign-in
  without the organisation's provider (password or passkey), or None. It is asked once the
  password is known to be right, so a stranger learns nothing about the account.
- A *logout redirect* ``(request) -> str | None`` gives, while the session still exists,
  the address that ends the provider's session too (single logout).
- An *offer* ``() -> bool`` says whether single sign-on is set up at all, so that the
  sign-in page shows its choices only then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

Route = Callable[[HttpRequest, str], HttpResponse | None]
PasswordRule = Callable[[str], str | None]
LogoutRedirect = Callable[[HttpRequest], str | None]
Offer = Callable[[], bool]

logger = logging.getLogger(__name__)

_routes: list[Route] = []
_password_rules: list[PasswordRule] = []
_logout_redirects: list[LogoutRedirect] = []
_offers: list[Offer] = []


def _add(registry: list, item: object) -> None:
    # ready() may run twice (tests, management commands): register once.
    if item not in registry:
        registry.append(item)


def register(route: Route) -> None:
    _add(_routes, route)


def register_password_rule(rule: PasswordRule) -> None:
    _add(_password_rules, rule)


def register_logout_redirect(hook: LogoutRedirect) -> None:
    _add(_logout_redirects, hook)


def register_offer(offer: Offer) -> None:
    _add(_offers, offer)


def route(request: HttpRequest, email: str) -> HttpResponse | None:
    for each in _routes:
        response = each(request, email)
        if response is not None:
            return response
    return None


def password_refusal(email: str) -> str | None:
    for rule in _password_rules:
        refusal = rule(email)
        if refusal:
            return refusal
    return None


def logout_redirect(request: HttpRequest) -> str | None:
    """The first address a registered hook gives; a failing hook never stops a sign-out."""
    for hook in _logout_redirects:
        try:
            url = hook(request)
        except Exception:  # a provider's outage must not keep anyone signed in
            logger.exception("single logout: the provider's address could not be made")
            continue
        if url:
            return url
    return None


def offered() -> bool:
    return any(offer() for offer in _offers)
