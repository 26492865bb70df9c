"""Recognition under /api/v1/recognition/: each area's router is added here."""

from __future__ import annotations

from ninja import Router

from ambassade.recognition import (
    api_badges,
    api_boards,
    api_campaigns,
    api_draws,
    api_highlights,
    api_points,
    api_rewards,
)

router = Router(tags=["recognition"])
for area in (
    api_badges,
    api_boards,
    api_campaigns,
    api_draws,
    api_highlights,
    api_points,
    api_rewards,
):
    router.add_router("", area.router)
