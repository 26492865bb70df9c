"""Whether the sign-in page offers single sign-on (an app registered an offer)."""

from django import template

from ambassade.accounts import sign_in_routes

register = template.Library()


@register.simple_tag
def single_sign_on_offered() -> bool:
    return sign_in_routes.offered()
