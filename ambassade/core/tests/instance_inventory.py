"""What an instance holds, for comparing a backed-up instance with its restored copy.

Run in the restored instance's own process (its settings are read once per process):
``DATA_DIR=… DATABASE_URL=… python -m ambassade.core.tests.instance_inventory`` prints
the JSON; the test compares it with ``inventory()`` of the instance it backed up.
"""

from __future__ import annotations

import json
import os
from typing import Any


def inventory() -> dict[str, Any]:
    """The row count of every table, and every social account's decrypted secrets."""
    from django.db import connection

    from ambassade.sharing.models import SocialAccount

    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = cursor.fetchone()[0]
    # .credentials decrypts with the keys this process loaded: a missing or different key
    # raises, which is what the round trip must rule out.
    tokens = {str(a.pk): a.credentials.secrets for a in SocialAccount.objects.order_by("pk")}
    return {"rows": rows, "tokens": tokens}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ambassade.settings")
    import django

    django.setup()
    print(json.dumps(inventory()))
