"""Recognition under /api/v1/recognition/: each area's router is added here."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["recognition"])
