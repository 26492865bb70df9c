"""Why a sign-in through a provider was refused, in words the person and the admin read.

The codes go to the audit log; the sentences to the page. Nothing is written when a
sign-in is refused, apart from the audit row.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

REASONS = {
    "no_email": _(
        "Your identity provider did not send an e-mail address. Ask your administrator to "
        "release the e-mail claim to Ambassade."
    ),
    "unknown_person": _(
        "Your organisation has not added you to Ambassade yet. Ask your HR or communications "
        "team for an invitation."
    ),
    "other_organisation": _(
        "This address belongs to another organisation on this service: sign in through that "
        "organisation's identity provider."
    ),
    "left": _("You have left the organisation: signing in is closed."),
    "disabled": _("This single sign-on connection is switched off."),
    "protocol": _(
        "The answer of your identity provider could not be verified, so you were not signed "
        "in. Try again; if it happens again, tell your administrator."
    ),
    "account_elsewhere": _(
        "This account is already linked to another person of the organisation. Ask your "
        "administrator."
    ),
}


class Refused(Exception):
    """A refused sign-in: ``code`` for the audit log, ``detail`` for the administrator
    (what exactly failed: never shown to the person, never containing a secret)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail

    @property
    def message(self) -> str:
        return str(REASONS.get(self.code, REASONS["protocol"]))
