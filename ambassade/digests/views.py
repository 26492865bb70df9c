"""Pages of the digest: the person's settings, the one-click unsubscribe, the share link.

The unsubscribe page is reached from a mail, signed in or not. A GET only shows a
confirmation with a button; the POST unsubscribes. That POST is the RFC 8058 one-click
request mail programs send (no cookie, no CSRF token): it is exempt from CSRF, and the
long random token in the address is what authorises it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.digests import actions, links, message, selectors
from ambassade.digests.forms import DigestSettingsForm
from ambassade.digests.models import DigestSubscription, Frequency


@require("digest.manage_own")
def settings_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    current = selectors.settings_of(actor.person)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and "turn_off" in data:
        # The one-click "off": the day and hour stay as they were.
        data["frequency"] = Frequency.OFF
        data["weekday"], data["hour"] = str(current.weekday), str(current.hour)
    form = DigestSettingsForm(
        data,
        initial={"frequency": current.frequency, "weekday": current.weekday, "hour": current.hour},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_settings(actor, form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Your digest settings are saved."))
            return redirect("digests:settings")
    return render(
        request,
        "digests/settings.html",
        {"form": form, "current": current, "is_on": current.frequency != Frequency.OFF},
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        found = actions.unsubscribe(token)
    else:
        found = (
            DigestSubscription.objects.select_related("person__organisation", "person__user")
            .filter(unsubscribe_token=token)
            .first()
        )
    if found is None:
        raise Http404
    # In the language the digest was written in, signed in or not.
    with translation.override(message.language_of(found.person)):
        if request.method == "POST":
            return render(request, "digests/unsubscribed.html", {})
        done = found.unsubscribed_at is not None
        return render(request, "digests/unsubscribe.html", {"done": done, "token": token})


@require_http_methods(["GET"])
def share(request: HttpRequest, signed: str) -> HttpResponse:
    """The digest's "Share" button: to the composer on that item (sign-in first if needed)."""
    item_id = links.item_of_share_link(signed)
    if item_id is None:
        raise Http404
    return redirect(reverse("sharing:composer", args=[item_id]))
