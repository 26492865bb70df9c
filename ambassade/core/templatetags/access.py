"""Templates ask core/authz.py before showing a link, a tab or a button, so that no page
shows a link its viewer cannot open (core/tests/test_crawl_personas.py)."""

from __future__ import annotations

from typing import Any

from django import template

from ambassade.core.authz import Actor, allowed, allowed_on_program

register = template.Library()


@register.filter
def may(actor: Actor | None, permission: str) -> bool:
    """``{% if request.actor|may:"invitations.manage" %}``"""
    return allowed(actor, permission)


@register.simple_tag
def may_on_program(actor: Actor | None, permission: str, program: Any) -> bool:
    """``{% may_on_program request.actor "programs.manage" program as can_manage %}``"""
    return allowed_on_program(actor, permission, program)
