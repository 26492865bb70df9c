"""What a page must be on a phone, checked in Chromium (Playwright).

Shared by the tour of every ambassador page
(journeys/tests/test_every_ambassador_page_on_a_phone.py) and the other journeys: nothing
wider than the screen, a one-line header, every bottom-bar entry inside the screen and at
least 44 × 44 px, nothing focusable without a visible box, and nothing
a person must use (a link, a button, a field) outside the screen's width, where a
finger cannot reach it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

# What a person can act on; the skip link is off-screen until it is focused, on purpose.
_FOCUSABLE = """[...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]')]
  .filter((el) => el.tabIndex >= 0 && !el.disabled && !el.classList.contains('skip-link'))
  .filter((el) => el.checkVisibility({visibilityProperty: true}))"""
# Focusable elements that have no visible box.
HIDDEN_FOCUSABLE = f"""() => {_FOCUSABLE}
  .filter((el) => {{ const r = el.getBoundingClientRect(); return r.width < 4 || r.height < 4; }})
  .map((el) => el.outerHTML.slice(0, 120))"""
# Focusable elements that stick out of the screen's width (a page that scrolls sideways
# is caught by its scroll width; this catches what a clipped container hides).
OFF_SCREEN = f"""(width) => {_FOCUSABLE}
  .filter((el) => {{ const r = el.getBoundingClientRect();
    return r.width >= 4 && (r.left < -1 || r.right > width + 1); }})
  .map((el) => el.outerHTML.slice(0, 120))"""
BOTTOM_BAR = """() => [...document.querySelectorAll('.bottombar a')].map((a) => {
  const r = a.getBoundingClientRect();
  return {text: a.textContent.trim(), left: r.left, right: r.right, top: r.top,
          bottom: r.bottom, width: r.width, height: r.height};
})"""


def bottom_bar(page: Page) -> list[dict[str, Any]]:
    """The bottom bar's entries: their words and boxes."""
    entries: list[dict[str, Any]] = page.evaluate(BOTTOM_BAR)
    return entries


def check_layout(
    page: Page, width: int, height: int, where: str, *, signed_in: bool = True
) -> None:
    """Fails with ``where`` when the page does not fit a ``width`` × ``height`` phone.

    ``signed_in=False`` for the pages before signing in (choosing a password), which have
    no bottom bar.
    """
    assert page.evaluate("document.documentElement.scrollWidth") <= width, where
    header = page.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] <= 64, (where, header)  # one line
    entries = bottom_bar(page)
    if signed_in:
        assert 1 <= len(entries) <= 5, (where, entries)
    for entry in entries:
        assert entry["left"] >= 0 and entry["right"] <= width, (where, entry)
        assert entry["top"] >= 0 and entry["bottom"] <= height, (where, entry)
        assert entry["width"] >= 44 and entry["height"] >= 44, (where, entry)
    assert page.evaluate(HIDDEN_FOCUSABLE) == [], where
    assert page.evaluate(OFF_SCREEN, width) == [], where
