"""The local peers of the apps a journey crosses: an SMTP server, a push service."""

from ambassade.digests.tests.conftest import frozen_now, program, reader, smtp_inbox
from ambassade.push.tests.conftest import browser, push_service

__all__ = ["browser", "frozen_now", "program", "push_service", "reader", "smtp_inbox"]
