"""The installable app: web app manifest, icons, service worker and offline page.

The manifest names the signed-in person's organisation and uses its brand colour; its
``share_target`` lets Android's "Share" sheet hand a link to the suggestion form. The
service worker (template ``core/service_worker.js``) caches only the shell: static files,
icons and the offline page. Docs: docs/decisions/0020-installable-app.md.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ambassade.core.app_icons import SIZES, colour_slug, icon_png, is_colour_slug

PRODUCT_NAME = "Ambassade"
SHORT_NAME_LIMIT = 12  # what a launcher shows under an icon without cutting it
SHELL_STATIC = ("ambassade/app.css", "ambassade/app.js", "ambassade/icon.svg")


def _organisation(request: HttpRequest) -> Any:
    actor = getattr(request, "actor", None)
    return getattr(actor, "organisation", None)


def icon_urls(colour: str) -> list[dict[str, str]]:
    icons = [
        {
            "src": reverse("app_icon", args=[colour, size]),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any",
        }
        for size in SIZES
    ]
    icons.append(
        {
            "src": reverse("app_icon_maskable", args=[colour, SIZES[-1]]),
            "sizes": f"{SIZES[-1]}x{SIZES[-1]}",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    return icons


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    organisation = _organisation(request)
    name = organisation.name if organisation is not None else PRODUCT_NAME
    colour = colour_slug(organisation.brand_colour if organisation is not None else None)
    body = {
        "id": "/",
        "name": name,
        "short_name": name if len(name) <= SHORT_NAME_LIMIT else PRODUCT_NAME,
        "description": _("Share your organisation's news on your own networks, in your words."),
        "lang": get_language(),
        "dir": "ltr",
        "start_url": reverse("people:home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": f"#{colour}",
        "background_color": "#ffffff",
        "icons": icon_urls(colour),
        # Android's "Share → <app>": the link arrives in url (or inside text, for apps that
        # put it there) and opens the suggestion form, after sign-in if needed.
        "share_target": {
            "action": reverse("content:suggest"),
            "method": "GET",
            "enctype": "application/x-www-form-urlencoded",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def app_icon(request: HttpRequest, colour: str, size: int, maskable: bool = False) -> HttpResponse:
    if size not in SIZES or not is_colour_slug(colour):
        raise Http404
    response = HttpResponse(icon_png(colour, size, maskable), content_type="image/png")
    # The colour is in the address: a new brand colour is a new address.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def shell_urls(request: HttpRequest) -> list[str]:
    colour = colour_slug(getattr(_organisation(request), "brand_colour", None))
    urls = [static(path) for path in SHELL_STATIC]
    urls += [icon["src"] for icon in icon_urls(colour)]
    urls.append(reverse("offline"))
    return urls


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = shell_urls(request)
    template = render_to_string(
        "core/service_worker.js",
        {
            "shell": json.dumps(shell),
            "offline": json.dumps(reverse("offline")),
            "refresh": json.dumps(not isinstance(staticfiles_storage, ManifestFilesMixin)),
        },
    )
    # A new shell (a new static file name, a new colour, a new script) is a new cache.
    version = hashlib.sha256(template.encode()).hexdigest()[:12]
    script = template.replace("__CACHE_VERSION__", f"shell-{version}")
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # browsers check for a new worker on each visit
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Kept by the service worker: nothing personal, no form, no token."""
    response = render(request, "core/offline.html")
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response
