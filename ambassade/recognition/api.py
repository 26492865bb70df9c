"""Recognition under /api/v1/recognition/: each area's router is added here."""

from __future__ import annotations

from ninja import Router

from ambassade.recognition.api_rewards import router as rewards_router

router = Router(tags=["recognition"])
router.add_router("", rewards_router)
