"""The content step of a new organisation's checklist (see core.checklist)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ambassade.content.models import Source
from ambassade.core.checklist import checklist_step
from ambassade.core.models import Organisation


@checklist_step(30, "content_source", _("Connect a content source"), "content:sources")
def content_source_connected(organisation: Organisation) -> bool:
    return Source.objects.filter(organisation=organisation).exists()
