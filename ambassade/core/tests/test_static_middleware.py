"""WhiteNoise lists the static folder again when a file vanishes while it lists it (a
web server collecting the static files as a short-link server starts)."""

from __future__ import annotations

from pathlib import Path

import pytest
import whitenoise.base

from ambassade.core import static_middleware
from ambassade.core.static_middleware import StaticFilesMiddleware


@pytest.fixture
def vanishing(monkeypatch, tmp_path: Path):
    """A static folder whose listing fails ``times`` times as if a file had just gone."""
    (tmp_path / "app.css").write_text("body{}")
    monkeypatch.setattr(static_middleware, "PAUSE_SECONDS", 0)
    listings: list[int] = []
    real = whitenoise.base.scantree

    def make(times: int):
        def scantree(root):
            listings.append(1)
            if len(listings) <= times:
                raise FileNotFoundError(2, "No such file or directory", str(root) + "/gone.js")
            return real(root)

        monkeypatch.setattr(whitenoise.base, "scantree", scantree)
        return listings

    return tmp_path, make


def test_a_file_gone_during_the_listing_makes_it_list_again(vanishing, settings) -> None:
    root, make = vanishing
    listings = make(times=2)
    settings.STATIC_ROOT = str(root)
    middleware = StaticFilesMiddleware(lambda request: None)
    assert len(listings) == 3
    assert any(url.endswith("/app.css") for url in middleware.files)


def test_a_folder_that_keeps_failing_still_fails(vanishing, settings) -> None:
    root, make = vanishing
    make(times=100)
    settings.STATIC_ROOT = str(root)
    with pytest.raises(FileNotFoundError):
        StaticFilesMiddleware(lambda request: None)
