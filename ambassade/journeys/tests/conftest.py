"""The local peers of the apps a journey crosses: an SMTP server, a push service, a
Bluesky PDS; and the push keys of a phone's browser, named ``push_browser`` so that
``browser`` stays Chromium for the journeys that drive one."""

import pytest

from ambassade.digests.tests.conftest import frozen_now, program, reader, smtp_inbox
from ambassade.push.tests.conftest import Browser, new_browser, push_service
from ambassade.sharing.tests.pds import bluesky_pds


@pytest.fixture
def push_browser() -> Browser:
    return new_browser()


__all__ = ["bluesky_pds", "frozen_now", "program", "push_service", "reader", "smtp_inbox"]
