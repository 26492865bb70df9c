"""Background work of single sign-on: forgetting SAML assertion ids once they expired."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from ambassade.core.periodic import every


@every(hours=1)
@task()
def forget_expired_assertions() -> int:
    """An expired assertion is refused on its dates alone: its id need not be kept."""
    from ambassade.identity.models import SeenAssertion

    deleted, _ = SeenAssertion.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
