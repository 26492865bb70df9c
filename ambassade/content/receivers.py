"""A new organisation starts with the default content settings (see core.signals)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from ambassade.core.signals import organisation_created


@receiver(organisation_created, dispatch_uid="content.organisation_created")
def give_new_organisation_content_settings(sender: Any, organisation: Any, **_: Any) -> None:
    from ambassade.content.models import ContentSettings

    ContentSettings.objects.get_or_create(organisation=organisation)
