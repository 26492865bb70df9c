"""How django-allauth fits Ambassade: no public sign-up, mail through the project's mail
module, sources as daily pseudonyms, a lock-out message that says when to try again, and
no way around an organisation's single sign-on (``sign_in_routes`` password rules)."""

from __future__ import annotations

from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import ngettext

from ambassade.accounts import actions, limits, sign_in_routes
from ambassade.core import mail
from ambassade.core.limits import current_block


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by an organisation (invitations, setup), never by strangers.
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """allauth's message, sent through core.mail so that the outbox of the account's
        organisation shows it (and production's SMTP server sends it)."""
        from allauth.core import context as allauth_context

        request = allauth_context.request
        full = {"request": request, "email": email}
        full.update(context)
        if template_prefix == "account/email/password_reset_key":
            # A password would not let this person in: the mail says why, with no link.
            refusal = sign_in_routes.password_refusal(email)
            if refusal:
                template_prefix = "account/email/password_reset_single_sign_on"
                full = {**full, "refusal": refusal, "password_reset_url": ""}
                full["login_url"] = request.build_absolute_uri(reverse("accounts:login"))
        message = self.render_mail(template_prefix, email, full)
        html = None
        if isinstance(message, EmailMultiAlternatives):
            html = next(
                (str(body) for body, kind in message.alternatives if kind == "text/html"), None
            )
        body = str(message.body)
        if isinstance(message, EmailMessage) and message.content_subtype == "html":
            html, body = body, ""
        mail.send(
            organisation_slug=actions.mail_organisation_slug(email, full.get("user")),
            subject=str(message.subject),
            body=body,
            to=list(message.to),
            html=html,
        )

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        """Every sign-in that is not through the identity provider (password, passkey)
        comes here once the credentials are right, before the second factor."""
        refusal = sign_in_routes.password_refusal(user.email)
        if refusal:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            messages.error(request, refusal)
            return HttpResponseRedirect(reverse("accounts:login"))
        response: HttpResponse | None = super().pre_login(request, user, **kwargs)
        return response

    def get_client_ip(self, request: HttpRequest) -> str:
        return limits.source_pseudonym(super().get_client_ip(request))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            key = self._get_login_attempts_cache_key(request, **credentials)
            block = current_block(
                request,
                app="allauth.account",
                action="login_failed",
                key=key,
                config=account_settings.RATE_LIMITS,
            )
            minutes = block.minutes if block is not None else 1
            actions.record_lockout(
                request,
                login=str(credentials.get("email", "")),
                per=block.per if block is not None else "key",
                seconds=block.seconds if block is not None else 60,
            )
            # The same words for a known and an unknown address.
            raise ValidationError(
                ngettext(
                    "Too many failed sign-in attempts. Signing in is paused for your "
                    "safety: try again in %(minutes)s minute.",
                    "Too many failed sign-in attempts. Signing in is paused for your "
                    "safety: try again in %(minutes)s minutes.",
                    minutes,
                )
                % {"minutes": minutes},
                code="too_many_login_attempts",
            ) from None
