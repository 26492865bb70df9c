"""Referrals: an employee refers a candidate for a job offer of the content hub; the
candidate confirms by mail before anything is kept for long."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "ambassade.referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from ambassade.referrals import subscribers, words  # noqa: F401
