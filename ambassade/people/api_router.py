"""The people app's one API router. Operations on the same path (GET and PATCH of a
person) must sit on one router, so every people API module registers here."""

from ninja import Router

router = Router(tags=["people"])
