"""Pages, API answers and exports go out compressed; images do not.

Django's ``GZipMiddleware`` compresses every answer of 200 bytes or more when the
browser accepts gzip, pads each one at random against BREACH (since Django 4.2), and
compresses streaming answers (the audit export) as they stream. It does not look at
the type: the stored images under /media/ are JPEG or PNG already, so compressing them
again costs CPU for nothing, and they are left alone. Static files never get here
(WhiteNoise, listed before, answers them with its own pre-compressed copies).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")


class CompressTextMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
