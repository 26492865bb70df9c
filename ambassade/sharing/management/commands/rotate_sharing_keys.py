"""Re-encrypts every stored secret with the first key of SHARING_KEYS (key rotation)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from ambassade.sharing import crypto
from ambassade.sharing.models import NetworkApp, SocialAccount


class Command(BaseCommand):
    help = "Re-encrypt every stored secret with the first key of SHARING_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        counted = 0
        columns: list[tuple[Any, str]] = [(SocialAccount, "secrets"), (NetworkApp, "client_secret")]
        columns += [
            (apps.get_model(label), field) for label, field in crypto.OTHER_ENCRYPTED_FIELDS
        ]
        for model, field in columns:
            ids = list(model.objects.exclude(**{field: ""}).values_list("pk", flat=True))
            for start in range(0, len(ids), 200):
                with transaction.atomic():
                    rows = model.objects.select_for_update().filter(pk__in=ids[start : start + 200])
                    for row in rows:
                        setattr(row, field, crypto.rotate(getattr(row, field)))
                        row.save(update_fields=[field])
                        counted += 1
        self.stdout.write(f"{counted} secrets re-encrypted with the first key.")
