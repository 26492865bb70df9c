"""SAML 2.0 endpoints of one connection: start, assertion consumer service, our metadata,
single logout. Thin: the checks live in ``saml`` and ``saml_logout``."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ambassade.identity import completion
from ambassade.identity.models import Connection, Protocol
from ambassade.identity.refusals import Refused

# pysaml2 (48 MB with its XML schemas) is imported by the first SAML request, not when the
# URLs load: most instances never use SAML, and every web process would carry it
# (protocols.py does the same for sign-in).


def _connection(pk: int) -> Connection:
    return get_object_or_404(
        Connection.objects.select_related("organisation"), pk=pk, protocol=Protocol.SAML
    )


@require_GET
def start(request: HttpRequest, pk: int) -> HttpResponse:
    connection = _connection(pk)
    if not connection.enabled:
        return completion.fail(request, connection, Refused("disabled"), mode=completion.SIGN_IN)
    from ambassade.identity import saml

    return saml.start(
        request, connection, mode=completion.SIGN_IN, next_url=request.GET.get("next", "")
    )


@csrf_exempt  # the provider's page posts here; the response is signed and bound to a request
@require_POST
def acs(request: HttpRequest, pk: int) -> HttpResponse:
    connection = _connection(pk)
    if settings.SESSION_COOKIE_NAME not in request.COOKIES and not request.POST.get("continued"):
        # A cross-site POST does not carry our SameSite=Lax session cookie: post the same
        # answer again from our own page, which does.
        return render(
            request,
            "identity/saml_continue.html",
            {
                "action": request.path,
                "saml_response": request.POST.get("SAMLResponse", ""),
                "relay_state": request.POST.get("RelayState", ""),
            },
        )
    from ambassade.identity import saml

    return saml.consume(request, connection)


@require_GET
def metadata(request: HttpRequest, pk: int) -> HttpResponse:
    from ambassade.identity.saml_config import SamlSetupError, sp_metadata

    connection = _connection(pk)
    try:
        xml = sp_metadata(connection)
    except SamlSetupError as error:
        return HttpResponse(error.message, status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(xml, content_type="application/samlmetadata+xml; charset=utf-8")


@require_GET
def logout(request: HttpRequest, pk: int) -> HttpResponse:
    from ambassade.identity import saml_logout

    return saml_logout.send_logout_request(request, _connection(pk))


@require_GET
def single_logout_service(request: HttpRequest, pk: int) -> HttpResponse:
    from ambassade.identity import saml_logout

    return saml_logout.single_logout_service(request, _connection(pk))
