"""Recognition under /api/v1/recognition/: each area's router is added here."""

from __future__ import annotations

from ninja import Router

from ambassade.recognition.api_badges import router as badges_router

router = Router(tags=["recognition"])
router.add_router("", badges_router)
