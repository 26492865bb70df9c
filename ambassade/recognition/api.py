"""Recognition under /api/v1/recognition/: each area's router is added here."""

from __future__ import annotations

from ninja import Router

from ambassade.recognition.api_campaigns import router as campaigns_router

router = Router(tags=["recognition"])
router.add_router("", campaigns_router)
