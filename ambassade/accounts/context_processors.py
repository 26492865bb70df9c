"""The banner that asks a console role to enrol a second factor during the grace period."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ambassade.accounts.policy import requirement


def two_factor(request: HttpRequest) -> dict[str, Any]:
    return {"two_factor_requirement": requirement(request)}
