"""Fixtures of the network modules' tests: a fake API on 127.0.0.1, never the internet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ambassade.sharing.tests.networks.fake_api import FakeApi, fake_api


@pytest.fixture
def api() -> Iterator[FakeApi]:
    with fake_api() as served:
        yield served


@pytest.fixture
def quick_timeout(settings: Any) -> None:
    """Outbound calls give up after one second (the timeout tests)."""
    settings.OUTBOUND_TIMEOUT_SECONDS = 1
