"""Choosing the language; signing in and the account pages are django-allauth's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import check_for_language
from django.views.decorators.http import require_POST
from django.views.i18n import set_language


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus remembering the choice on the signed-in account."""
    response = set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and check_for_language(language) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response
