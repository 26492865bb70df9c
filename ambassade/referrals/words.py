"""The words of referrals: how its audit rows read, and the names of its statuses."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "referral.created": _("%(actor)s referred a candidate for a job offer (%(target)s)"),
        "referral.confirmed": _("The candidate confirmed a referral (%(target)s)"),
        "referral.declined": _("The candidate declined or withdrew a referral (%(target)s)"),
        "referral.expired": _("A referral the candidate did not confirm was erased (%(target)s)"),
        "referral.erased": _("%(actor)s erased a referral on request (%(target)s)"),
        "referral.applied": _("The candidate of a referral applied (%(target)s)"),
    }
)


def _register_names() -> None:
    from ambassade.referrals.models import Referral

    display.register("referral_status", Referral.Status.choices)


_register_names()
