"""An ambassador with default settings hears of a featured item in the app, on their
phone (web push) and in their next digest; shares it from the digest in one tap; and
leaves the digest with the one-click header. Every channel against its local peer: a
real SMTP server (aiosmtpd) and a push service that the test decrypts as a browser."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import http_ece
import pytest
from django.test import Client

from ambassade.core.authz import actor_for_person
from ambassade.digests import actions as digest_actions
from ambassade.digests.models import DigestSubscription
from ambassade.digests.tests.conftest import MONDAY_MORNING_IN_AUCKLAND, make_item, run_worker
from ambassade.notifications.models import Notification
from ambassade.push import actions as push_actions

pytestmark = pytest.mark.django_db(transaction=True)
SHARE_LINK = re.compile(r'href="(https://ambassade\.verdier\.example/digest/share/[^"]+)"')
TITLE = "Nous recrutons à Lyon"


def test_a_featured_item_in_app_by_push_in_the_digest_shared_in_one_tap(
    persona, program, reader, smtp_inbox, push_service, push_browser, frozen_now, client_for
) -> None:
    push_actions.subscribe(
        actor_for_person(reader),
        endpoint=push_service.endpoint("phone"),
        p256dh=push_browser.p256dh,
        auth=push_browser.auth,
    )
    frozen_now(MONDAY_MORNING_IN_AUCKLAND - timedelta(days=1))
    item = make_item(persona, program, TITLE)
    featured = client_for(persona.marketer).patch(
        f"/api/v1/content/items/{item.pk}", {"featured": True}, content_type="application/json"
    )
    assert featured.status_code == 200, featured.content
    run_worker()  # the event's deliveries, then what they queued

    # In the app: one notice, linking to the item.
    [notice] = Notification.objects.filter(person=reader)
    assert notice.kind == "featured_content" and TITLE in notice.body + notice.title
    bell = client_for(reader).get("/me/notifications/").content.decode()
    assert TITLE in bell

    # On the phone: one push, which the browser decrypts.
    [pushed] = [r for r in push_service.received if r.path == "/push/phone"]
    clear = http_ece.decrypt(
        pushed.body,
        private_key=push_browser.private_key,
        auth_secret=push_browser.auth_secret,
        version="aes128gcm",
    )
    assert TITLE in json.loads(clear)["body"] + json.loads(clear)["title"]
    # Featured content comes by e-mail in the digest, not in a mail of its own as well.
    assert smtp_inbox.messages == []

    # In the next digest, first; its button opens the composer on the item.
    frozen_now(MONDAY_MORNING_IN_AUCKLAND)
    assert digest_actions.claim_due(MONDAY_MORNING_IN_AUCKLAND) == 1
    run_worker()
    [digest] = smtp_inbox.messages
    html = digest.get_body(preferencelist=("html",)).get_content()
    assert TITLE in html
    link = SHARE_LINK.findall(html)[0].removeprefix("https://ambassade.verdier.example")
    composer = client_for(reader).get(link, follow=True)
    assert composer.redirect_chain[-1][0] == f"/share/{item.pk}/"
    assert TITLE in composer.content.decode()

    # One click in the mail program: a POST to the List-Unsubscribe address, no login.
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = digest["List-Unsubscribe"]
    address = re.search(r"<https://ambassade\.verdier\.example(/[^>]+)>", header)
    assert address is not None
    assert Client(enforce_csrf_checks=True).post(address.group(1)).status_code == 200
    assert DigestSubscription.objects.get(person=reader).unsubscribed_at is not None
