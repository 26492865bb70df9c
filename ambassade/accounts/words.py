"""The words of accounts: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "account.locked_out": _(
            "%(actor)s locked an account after repeated failed sign-ins (%(target)s)"
        ),
        "accounts.second_factor_reset": _("%(actor)s reset the second factor of %(target)s"),
        "accounts.session_ended": _("%(actor)s ended a session (%(target)s)"),
        "accounts.two_factor_policy_changed": _(
            "%(actor)s changed the two-factor authentication rule"
        ),
    }
)
