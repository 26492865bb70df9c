"""Codes shown by their translated names: ``{% load display %}{{ code|network_name }}``."""

from __future__ import annotations

from typing import Any

from django import template

from ambassade.core import audit_text, display

register = template.Library()


@register.filter
def display_name(code: Any, kind: str) -> str:
    """``{{ code|display_name:"employment_status" }}`` for any registered kind."""
    return display.name(kind, code)


@register.filter
def display_names(codes: Any, kind: str) -> str:
    return display.names(kind, codes)


@register.filter
def network_name(code: Any) -> str:
    return display.name("network", code)


@register.filter
def role_name(code: Any) -> str:
    return display.name("role", code)


@register.filter
def role_names(codes: Any) -> str:
    return display.names("role", codes)


@register.filter
def language_name(code: Any) -> str:
    return display.name("language", code)


@register.filter
def language_names(codes: Any) -> str:
    return display.names("language", codes)


@register.filter
def audit_sentence(event: Any) -> str:
    return audit_text.sentence(event)


@register.filter
def audit_changes(event: Any) -> list[Any]:
    return audit_text.changes(event)


@register.filter
def audit_channel(event: Any) -> str:
    return audit_text.channel_name(event)


@register.filter
def audit_actor(event: Any) -> str:
    return audit_text.actor_name(event)
