"""Background work of referrals: the one mail to the candidate, and the daily erasure of
referrals their candidate did not confirm."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from ambassade.core import mail
from ambassade.core.periodic import every


@task()
def send_candidate_mail(referral_id: int) -> int:
    """The only mail a candidate ever gets: who referred them, for what, and two links."""
    from ambassade.referrals import links
    from ambassade.referrals.models import Referral

    # Claimed first: a task run twice sends one mail.
    claimed = Referral.objects.filter(
        pk=referral_id, mailed_at__isnull=True, status=Referral.Status.AWAITING
    ).update(mailed_at=timezone.now())
    if not claimed:
        return 0
    referral = Referral.objects.select_related("organisation", "offer", "referrer").get(
        pk=referral_id
    )
    organisation = referral.organisation
    language = organisation.default_language or "en"
    with translation.override(language):
        confirm = links.confirm_url(referral)
        subject = _("%(name)s thinks you would be a good fit at %(organisation)s") % {
            "name": referral.referrer.full_name,
            "organisation": organisation.name,
        }
        body = _(
            "Hello %(candidate)s,\n\n"
            "%(referrer)s, who works at %(organisation)s, thinks the job “%(offer)s” could "
            "interest you and gave us your name and e-mail address.\n\n"
            "Interested? Confirm here to see the offer: %(confirm)s\n\n"
            "Not interested? Say no thanks and your name and address are erased at once: "
            "%(decline)s\n\n"
            "Without an answer, they are erased in %(days)s days. This is the only message "
            "you will receive from us."
        ) % {
            "candidate": referral.candidate_name,
            "referrer": referral.referrer.full_name,
            "organisation": organisation.name,
            "offer": referral.offer.title,
            "confirm": confirm,
            "decline": links.decline_url(referral),
            "days": settings.REFERRAL_UNCONFIRMED_DAYS,
        }
    return mail.send(
        organisation_slug=organisation.slug,
        subject=subject,
        body=body,
        to=[referral.candidate_email],
        action_url=confirm,
        language=language,
    )


@every(hours=1)
@task()
def expire_unconfirmed_referrals() -> int:
    """Unconfirmed referrals older than REFERRAL_UNCONFIRMED_DAYS are erased."""
    from ambassade.referrals.actions import expire_unconfirmed

    return expire_unconfirmed()
