"""Re-encrypts every stored secret with the first key of SHARING_KEYS (key rotation)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from ambassade.sharing import crypto
from ambassade.sharing.models import NetworkApp, SocialAccount


class Command(BaseCommand):
    help = "Re-encrypt every social account secret with the first key of SHARING_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        counted = 0
        for model, field in ((SocialAccount, "secrets"), (NetworkApp, "client_secret")):
            ids = list(model.objects.exclude(**{field: ""}).values_list("pk", flat=True))
            for start in range(0, len(ids), 200):
                with transaction.atomic():
                    rows = model.objects.select_for_update().filter(pk__in=ids[start : start + 200])
                    for row in rows:
                        setattr(row, field, crypto.rotate(getattr(row, field)))
                        row.save(update_fields=[field])
                        counted += 1
        self.stdout.write(f"{counted} secrets re-encrypted with the first key.")
