"""Every ambassador page on a phone, in Chromium, in French and English (issue 21).

The demo's printed ambassador signs in once; four contexts (360 × 740 and 390 × 844, each
in French and English) reuse that session and open every page of the ambassador space
(and the pages a referred candidate opens from their mail, which have no bottom bar):
nothing wider than the screen, a one-line header, every bottom-bar entry inside the screen
and at least 44 × 44 px, nothing focusable that cannot be seen, no console error. Each page
is checked in each language once under the real Content-Security-Policy (CSP violations
show as console errors) and once by axe-core for WCAG 2.1 A and AA: axe is a test-time
script injected with ``add_script_tag``, which only a context that bypasses the CSP accepts.
The autopilot's two forms are also sent back with a mistake and their errors checked.
At 360 px in French, the French reader (ambassade/testing/french.py) reads every page:
no English string of ours, no raw code.
The keyboard checks run on the feed: the first "Share" a few tab stops after the skip link,
focused elements clear of the bottom bar, the language menu changed only by its button.
"""

from __future__ import annotations

import re
from datetime import UTC
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, SuggestedMessage
from ambassade.core import demo
from ambassade.core.demo import DEMO_PASSWORD
from ambassade.programs.models import Enrolment
from ambassade.sharing.tests.axe import AXE_SCRIPT, axe_installed
from ambassade.testing.french import FrenchReader
from ambassade.testing.phone import check_layout

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
AMBASSADOR = "ambassadeur@verdier.example"
# (viewport, locale, the first "Share" button's words, checked by axe rather than under CSP)
PROFILES = [
    ({"width": 360, "height": 740}, "fr-FR", "Partager", False),
    ({"width": 390, "height": 844}, "fr-FR", "Partager", True),
    ({"width": 360, "height": 740}, "en-GB", "Share", True),
    ({"width": 390, "height": 844}, "en-GB", "Share", False),
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _pages(enrolment: Enrolment, item_id: int, delegation_pages: list[str]) -> list[str]:
    return [
        "/me/home/",
        "/feed/",
        f"/share/{item_id}/",
        "/me/posts/",
        "/me/schedule/",
        "/me/accounts/",
        "/me/accounts/bluesky/password",
        "/me/figures/",
        "/analytics/how-we-count/",
        "/me/",
        "/me/programs/",
        f"/me/enrolments/{enrolment.pk}/leave",
        "/me/contributions/",
        "/me/suggest/",
        "/me/tokens/",
        *_learning_pages(),
        *_field_pages(),
        *_referral_pages(),
        *_autopilot_pages(),
        *delegation_pages,
    ]


def _referral_pages() -> list[str]:
    """Referring someone for a job offer of the feed, and "My referrals" (referrals app)."""
    from ambassade.core.authz import actor_for_person
    from ambassade.people.models import Person
    from ambassade.referrals.actions import referable_offers

    ambassador = Person.objects.get(email=AMBASSADOR)
    offer = referable_offers(actor_for_person(ambassador)).order_by("pk").first()
    assert offer is not None  # the demo's ambassador sees a job offer in his feed
    return [f"/feed/{offer.pk}/refer/", "/me/referrals/"]


def _candidate_pages() -> list[str]:
    """The pages a referred candidate opens from their one mail, without an account: the
    confirmation (awaiting, then confirmed) and "No thanks" (GETs change nothing)."""
    from ambassade.referrals.links import token_for
    from ambassade.referrals.models import Referral

    referrals = Referral.objects.filter(referrer__email=AMBASSADOR).order_by("pk")
    awaiting = referrals.filter(status=Referral.Status.AWAITING).first()
    confirmed = referrals.filter(status=Referral.Status.CONFIRMED).first()
    assert awaiting is not None and confirmed is not None  # the demo's referrals
    return [
        f"/referral/{token_for(awaiting)}/confirm",
        f"/referral/{token_for(awaiting)}/decline",
        f"/referral/{token_for(confirmed)}/confirm",
    ]


def _field_pages() -> list[str]:
    """My field reports, the form, and the printed ambassador's answered report."""
    from ambassade.field.models import FieldReport

    answered = FieldReport.objects.filter(reporter__email=AMBASSADOR).exclude(answer="").first()
    assert answered is not None
    return ["/me/field-reports/", "/me/field-reports/new", f"/me/field-reports/{answered.pk}/"]


def _learning_pages() -> list[str]:
    """Learn, a module and the printed ambassador's last quiz result (learning app)."""
    from ambassade.learning.models import Attempt, Module

    module = Module.objects.filter(status="published").order_by("pk").first()
    attempt = Attempt.objects.filter(person__email=AMBASSADOR).order_by("-pk").first()
    assert module is not None and attempt is not None
    return ["/me/learning/", f"/me/learning/{module.pk}/", f"/me/learning/attempts/{attempt.pk}/"]


def _autopilot_pages() -> list[str]:
    """The autopilot and the edit page of the post it queued for the printed ambassador."""
    from ambassade.autopilot.models import AutopilotPost, Outcome

    queued = AutopilotPost.objects.filter(
        person__email=AMBASSADOR, outcome=Outcome.QUEUED, target__isnull=False
    ).first()
    assert queued is not None
    return ["/me/autopilot/", f"/me/autopilot/posts/{queued.target_id}/"]


def _mistake(path: str) -> tuple[str, str] | None:
    """A field and a value the page's form refuses: its error messages are read too."""
    if path == "/me/autopilot/":
        return "template", "{title}"  # no words of one's own
    if path.startswith("/me/autopilot/posts/"):
        return "message", ""
    return None


def _send_back(page: Page, field: str, value: str) -> None:
    """Sends the form holding ``field`` with ``value``; the page comes back with an error."""
    page.locator(f"textarea[name={field}]").fill(value)
    with page.expect_navigation():
        page.locator(f"form:has(textarea[name={field}]) button[type=submit]").click()
    assert page.locator(".field-error, .form-error").count() > 0, (field, value)


def _delegation_pages() -> list[str]:
    """Both sides of delegation for the printed ambassador: the demo's comms officer writes
    a draft for him (his delegates and the draft he decides on), and the demo's sales
    director names him a delegate (who he writes for, and the form to write for him)."""
    from ambassade.core.authz import actor_for_person
    from ambassade.delegation import actions, selectors
    from ambassade.delegation.demo import DELEGATE, PRINCIPAL
    from ambassade.people.models import Person
    from ambassade.sharing import crypto
    from ambassade.sharing.demo import demo_secrets
    from ambassade.sharing.models import SocialAccount

    people = {
        person.email: person
        for person in Person.objects.filter(email__in=[AMBASSADOR, DELEGATE, PRINCIPAL])
    }
    ambassador, writer, director = people[AMBASSADOR], people[DELEGATE], people[PRINCIPAL]
    his_delegation = actions.grant(actor_for_person(ambassador), writer.pk)
    item = next(item for item in selectors.feed_of(ambassador)[:20] if item.shareable)
    account = selectors.accounts_of(ambassador).first()
    if account is None:  # the demo connects seven in ten ambassadors, drawn by its seed
        account = SocialAccount(
            organisation=ambassador.organisation,
            person=ambassador,
            network="bluesky",
            remote_id=f"did:plc:demo{ambassador.pk}",
            handle="@lucas.perrin.demo.invalid",
        )
        account.secrets = crypto.encrypt(demo_secrets(account.remote_id, account.handle))
        account.save()
    draft = actions.write_draft(
        actor_for_person(writer),
        his_delegation.pk,
        item_id=item.pk,
        text="Une belle journée portes ouvertes à Lyon, merci à toute l'équipe.",
        account_ids=[account.pk],
    )
    writing_for = actions.grant(actor_for_person(director), ambassador.pk)
    return [
        "/me/delegates/",
        "/me/writing-for/",
        f"/me/writing-for/{writing_for.pk}/new",
        f"/me/drafts/{draft.pk}/",
    ]


def _check_axe(page: Page, path: str) -> None:
    page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                        resultTypes: ['violations']})
             .then((r) => r.violations.map((v) => ({id: v.id, nodes: v.nodes.slice(0, 3)
               .map((n) => n.target.join(' '))})))""",
        WCAG,
    )
    assert violations == [], (path, violations)


def _check_keyboard(page: Page, share_words: str) -> None:
    """On the feed: skip link, then the first "Share" within a few tab stops; every stop
    on the way (and further) is clear of the fixed bottom bar; the language menu waits."""
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    stops = 0
    while page.evaluate("document.activeElement.textContent.trim()") != share_words:
        stops += 1
        assert stops <= 5, f"no “{share_words}” within 5 tab stops of the skip link"
        page.keyboard.press("Tab")
    bar_top = page.locator(".bottombar").bounding_box()["y"]
    for _ in range(12):
        page.keyboard.press("Tab")
        inside_main = page.evaluate("!!document.activeElement.closest('main')")
        box = page.evaluate(
            "(() => { const r = document.activeElement.getBoundingClientRect();"
            " return {top: r.top, bottom: r.bottom}; })()"
        )
        if inside_main:
            assert box["bottom"] <= bar_top + 1 and box["top"] >= 0, box
    lang = page.evaluate("document.documentElement.lang")
    page.locator("#language-select").focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.lang") == lang  # no reload on a key
    assert page.locator("form.language-form button[type=submit]").is_visible()


def test_every_ambassador_page_fits_a_phone_and_passes_axe(
    live_server: LiveServer, browser: Browser
) -> None:
    axe_installed()  # or skipped (locally) or failed (CI) with the reason
    demo.build(
        people=40, days=14, seed=5, today=timezone.now().astimezone(UTC).date(), progress=print
    )
    enrolment = Enrolment.objects.select_related("program").get(
        person__email=AMBASSADOR, program__name="Marque employeur Verdier"
    )
    # The printed ambassador can share at once: his enrolment is active.
    assert enrolment.status == Enrolment.Status.ACTIVE
    delegation_pages = _delegation_pages()

    signing_in = browser.new_context(viewport=PROFILES[0][0], locale="en-GB")
    page = signing_in.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(AMBASSADOR)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    session = signing_in.storage_state()
    signing_in.close()

    item_id = 0
    for profile in PROFILES:
        item_id = _visit_every_page(
            browser, live_server.url, session, profile, enrolment, item_id, delegation_pages
        )


def _visit_every_page(
    browser: Browser,
    url: str,
    session: Any,
    profile: tuple[dict[str, int], str, str, bool],
    enrolment: Enrolment,
    item_id: int,
    delegation_pages: list[str],
) -> int:
    viewport, locale, share_words, with_axe = profile
    # At 360 px in French, a French reader reads every page: no English, no raw code.
    # Items and suggested messages written in English are content, not our words.
    reader = None
    if locale.startswith("fr") and viewport["width"] == 360:
        titles = ContentItem.objects.exclude(language="fr").values_list("title", flat=True)
        texts = SuggestedMessage.objects.exclude(language="fr").values_list("text", flat=True)
        reader = FrenchReader(english_content=set(titles) | set(texts))
    problems: set[str] = set()
    context = browser.new_context(
        viewport=viewport, locale=locale, storage_state=session, bypass_csp=with_axe
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":  # CSP violations are reported here too
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/feed/")
    # The first card can be shared at once: the demo's ambassador shares on first sign-in.
    first_share = page.locator("article.feed-card").first.locator("a.button-primary")
    assert first_share.inner_text() == share_words
    if not item_id:
        item_id = int(re.findall(r"/share/(\d+)/", first_share.get_attribute("href") or "")[0])
    _check_keyboard(page, share_words)

    def check(where: str) -> None:
        check_layout(page, viewport["width"], viewport["height"], where)
        if with_axe:
            _check_axe(page, where)
        if reader is not None:
            problems.update(reader.problems_in_page(where, page.content()))

    for path in _pages(enrolment, item_id, delegation_pages):
        response = page.goto(f"{url}{path}")
        assert response is not None and response.status == 200, path
        assert page.evaluate("document.documentElement.lang") == locale[:2], path
        check(path)
        mistake = _mistake(path)
        if mistake:
            _send_back(page, *mistake)
            check(f"{path} sent back with a mistake")
    # The candidate has no account: their pages open in a browser nobody signed in to.
    candidate = browser.new_context(viewport=viewport, locale=locale, bypass_csp=with_axe)
    candidates_page = candidate.new_page()
    candidates_page.on("console", on_console)
    candidates_page.on("pageerror", lambda error: errors.append(str(error)))
    for path in _candidate_pages():
        response = candidates_page.goto(f"{url}{path}")
        assert response is not None and response.status == 200, path
        assert candidates_page.evaluate("document.documentElement.lang") == locale[:2], path
        check_layout(candidates_page, viewport["width"], viewport["height"], path, signed_in=False)
        if with_axe:
            _check_axe(candidates_page, path)
        if reader is not None:
            problems.update(reader.problems_in_page(path, candidates_page.content()))
    candidate.close()
    # The bottom bar and the header also fit the narrowest phones (320 px).
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{url}/feed/")
    check_layout(page, 320, 640, "/feed/ at 320 px")
    assert errors == [], (locale, viewport, errors)
    assert not problems, "\n".join(sorted(problems))
    context.close()
    return item_id
