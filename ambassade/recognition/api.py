"""Recognition under /api/v1/recognition/: each area's router is added here."""

from __future__ import annotations

from ninja import Router

from ambassade.recognition import api_points

router = Router(tags=["recognition"])
router.add_router("", api_points.router)
