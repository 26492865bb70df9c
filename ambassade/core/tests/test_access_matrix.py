"""Every page and API operation against every persona: who gets in, who gets 403 or 404.

When a page or operation is added, add its row here; the test fails for any URL
pattern of the project that has no row (see test_every_route_has_a_row).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin",
    "marketer",
    "hr",
    "comms",
    "sales",
    "coach",
    "ambassador",
    "employee",
    "outsider",
]
CONSOLE = {"admin", "marketer", "hr", "comms", "sales", "coach", "outsider"}
PEOPLE_READERS = {"admin", "hr", "marketer", "comms", "coach", "outsider"}
ADMINS = {"admin", "outsider"}  # the outsider is an admin of their own organisation
EVERYONE = set(PERSONAS)
PEOPLE_WRITERS = {"admin", "hr", "outsider"}
HR_ONLY = {"hr"}  # HR notes and candidates: not even admins without the HR role
LINK_READERS = {"admin", "marketer", "outsider"}  # tracked links and their figures
CONTENT_STUDIO = {"admin", "marketer", "comms", "outsider"}  # content studio and guidelines
SHARING_MANAGERS = {"admin", "marketer", "comms", "outsider"}  # the pause switch
# The promotional threshold and the preview hosts: marketing's as well as the admins'.
CONTENT_SETTINGS = {"admin", "marketer", "outsider"}
LEARNING_MANAGERS = {"admin", "hr", "comms", "marketer", "outsider"}  # training modules
RECOGNITION_MANAGERS = LEARNING_MANAGERS  # the rewards catalogue
REWARD_FULFILLERS = {"admin", "hr", "comms", "outsider"}  # the rewards' fulfilment queue
FIELD_TRIAGERS = {"admin", "marketer", "hr", "comms", "sales", "outsider"}  # field reports

# (method, path, personas who may, status for the others). The outsider only ever sees
# their own organisation, which the tenancy tests check object by object.
PAGES = [
    ("get", "/console/", CONSOLE, 403),
    ("get", "/console/people/", PEOPLE_READERS, 403),
    ("get", "/console/audit/", ADMINS, 403),
    ("get", "/console/audit/export.csv", ADMINS, 403),
    ("get", "/console/outbox/", ADMINS, 403),
    ("get", "/me/", EVERYONE, 403),
    ("get", "/me/home/", EVERYONE, 403),
    ("get", "/me/tokens/", EVERYONE, 403),
    ("get", "/console/people/new/", PEOPLE_WRITERS, 403),
    ("get", "/console/people/structure/", PEOPLE_WRITERS, 403),
    ("get", "/console/people/imports/", PEOPLE_WRITERS, 403),
    ("get", "/console/people/candidates/", HR_ONLY, 403),
    ("get", "/console/settings/", ADMINS, 403),
    ("get", "/me/self-assessment/", EVERYONE, 403),
    ("get", "/me/alumni/", EVERYONE, 403),
    ("get", "/me/data.zip", EVERYONE, 403),
    ("get", "/console/programs/", CONSOLE, 403),
    # HR creates the programs whose goal is the employer brand (docs/roles.md).
    ("get", "/console/programs/new", {"admin", "marketer", "hr", "outsider"}, 403),
    # Saved audiences (docs/decisions/0022-audiences.md) and the console's global search.
    ("get", "/console/people/segments/", {"admin", "hr", "marketer", "comms", "outsider"}, 403),
    ("get", "/console/search/", CONSOLE, 403),
    ("get", "/console/ambassador-types/", CONSOLE, 403),
    ("get", "/me/programs/", EVERYONE, 403),
    ("get", "/console/links/", LINK_READERS, 403),
    ("get", "/console/links/settings/", ADMINS, 403),
    ("get", "/console/content/", CONTENT_STUDIO, 403),
    ("get", "/console/content/new", CONTENT_STUDIO, 403),
    ("get", "/console/content/review/", CONSOLE, 403),
    ("get", "/console/content/inbox/", CONTENT_STUDIO, 403),
    ("get", "/console/content/sources/", CONTENT_STUDIO, 403),
    ("get", "/console/content/suggestions/", CONTENT_STUDIO, 403),
    ("get", "/console/content/guidelines/", CONTENT_STUDIO, 403),
    ("get", "/console/content/setup/", CONTENT_STUDIO, 403),
    ("get", "/feed/", EVERYONE, 403),
    ("get", "/me/suggest/", {"ambassador"}, 403),
    ("get", "/me/posts/", EVERYONE, 403),
    ("get", "/me/accounts/", EVERYONE, 403),
    ("get", "/me/schedule/", EVERYONE, 403),
    ("get", "/console/sharing/", SHARING_MANAGERS, 403),
    ("get", "/console/sharing/settings/", ADMINS, 403),
    # Crisis mode: those who hold the pause switch run it; everyone reads the current one.
    ("get", "/console/crisis/", SHARING_MANAGERS, 403),
    ("get", "/crisis/", EVERYONE, 403),
    # Provisioning (SCIM): admins make the tokens, admins and HR read the report.
    ("get", "/console/provisioning/", ADMINS, 403),
    ("get", "/console/provisioning/report/", {"admin", "hr", "outsider"}, 403),
    ("get", "/me/figures/", EVERYONE, 403),
    ("get", "/me/contributions/", EVERYONE, 403),
    ("get", "/me/push/", EVERYONE, 403),
    ("get", "/me/notifications/", EVERYONE, 403),
    ("get", "/me/notifications/settings/", EVERYONE, 403),
    ("get", "/console/notifications/", EVERYONE, 403),
    ("get", "/console/notifications/settings/", EVERYONE, 403),
    ("get", "/console/notifications/report/", {"admin", "comms", "outsider"}, 403),
    ("get", "/me/digest/", EVERYONE, 403),
    ("get", "/console/analytics/", CONSOLE, 403),
    ("get", "/analytics/how-we-count/", EVERYONE, 403),
    ("get", "/console/analytics/settings/", CONSOLE, 403),
    # The instance operator's page: no persona is an operator (people/tests/test_operator.py).
    ("get", "/operator/organisations/", set(), 403),
    # One's own account (django-allauth's pages, in our layout).
    ("get", "/accounts/email/", EVERYONE, 403),
    ("get", "/accounts/password/change/", EVERYONE, 403),
    ("get", "/accounts/2fa/", EVERYONE, 403),
    ("get", "/accounts/sessions/", EVERYONE, 403),
    ("get", "/console/security/two-factor/", ADMINS, 403),
    ("get", "/console/settings/webhooks/", ADMINS, 403),
    ("get", "/console/identity/", ADMINS, 403),
    ("get", "/console/identity/policy/", ADMINS, 403),
    # Training: everyone learns; HR, comms and marketing write; the console reads progress.
    ("get", "/me/learning/", EVERYONE, 403),
    ("get", "/console/learning/", CONSOLE, 403),
    ("get", "/console/learning/progress.csv", CONSOLE, 403),
    ("get", "/console/learning/new", LEARNING_MANAGERS, 403),
    ("get", "/me/recognition/badges/", EVERYONE, 403),
    ("get", "/console/recognition/badges/", CONSOLE, 403),
    ("get", "/console/recognition/badges/new", LEARNING_MANAGERS, 403),  # recognition's too
    ("get", "/me/recognition/", EVERYONE, 403),
    ("get", "/console/recognition/", CONSOLE, 403),
    ("get", "/console/recognition/highlights/", CONSOLE, 403),
    ("get", "/console/recognition/highlights.csv", CONSOLE, 403),
    # Campaigns, challenges and the program calendar: the console reads, the same managers
    # as training write (recognition/tests/test_campaign_pages.py); everyone sees the
    # challenges open to them.
    ("get", "/console/recognition/campaigns/", CONSOLE, 403),
    ("get", "/console/recognition/calendar/", CONSOLE, 403),
    ("get", "/me/recognition/challenges/", EVERYONE, 403),
    # Problem reports: everyone reports and follows their own; the console list shows each
    # role what it may see (incidents/tests/test_reporting.py, report by report).
    ("get", "/me/reports/", EVERYONE, 403),
    ("get", "/me/reports/new", EVERYONE, 403),
    ("get", "/console/reports/", CONSOLE, 403),
    ("get", "/console/reports/settings/", {"admin", "comms", "outsider"}, 403),
    # Coaching (docs/decisions/0031-coaches.md): ambassadors ask, coaches answer, HR and
    # admins assign, those who run the programs read the figures.
    ("get", "/me/coach/", {"ambassador"}, 403),
    ("get", "/me/profile-checklist/", {"ambassador"}, 403),
    ("get", "/console/coaching/", {"coach"}, 403),
    ("get", "/console/coaching/assignments/", {"admin", "hr", "outsider"}, 403),
    ("get", "/console/coaching/overview/", {"admin", "hr", "marketer", "outsider"}, 403),
    ("get", "/console/coaching/checklist/", {"admin", "hr", "comms", "outsider"}, 403),
    # Recognition boards: everyone sees their band, the console roles read the boards.
    ("get", "/me/recognition/boards/", EVERYONE, 403),
    ("get", "/console/recognition/boards/", CONSOLE, 403),
    # Rewards: everyone requests; marketing, HR and comms edit the catalogue; HR, comms
    # and admins fulfil (recognition/tests/test_rewards_pages.py, object by object).
    ("get", "/me/recognition/rewards/", EVERYONE, 403),
    ("get", "/console/recognition/rewards/", RECOGNITION_MANAGERS, 403),
    ("get", "/console/recognition/rewards/queue/", REWARD_FULFILLERS, 403),
    # Prize draws: everyone reads and enters, the rewards' editors run them (object by
    # object in recognition/tests/test_draws_pages.py).
    ("get", "/me/recognition/draws/", EVERYONE, 403),
    ("get", "/console/recognition/draws/", RECOGNITION_MANAGERS, 403),
    # Field reports (docs/decisions/0037-field-reports.md): everyone files theirs; the roles
    # that own queues triage and read the figures; admins route (report by report and
    # queue by queue in field/tests/test_access.py).
    ("get", "/me/field-reports/", EVERYONE, 403),
    ("get", "/me/field-reports/new", EVERYONE, 403),
    ("get", "/console/field-reports/", FIELD_TRIAGERS, 403),
    ("get", "/console/field-reports/figures/", FIELD_TRIAGERS, 403),
    ("get", "/console/field-reports/routing/", ADMINS, 403),
    # Referrals: everyone who reads the feed refers and follows their own; HR and admins
    # read each offer's referrals (referrals/tests/test_pages.py, offer by offer).
    ("get", "/me/referrals/", EVERYONE, 403),
    ("get", "/console/referrals/", {"admin", "hr", "outsider"}, 403),
    # Alumni (docs/decisions/0039-alumni-ambassadors.md): only alumni ambassadors, who are
    # no persona, keep their directory entry (test_alumni_space below, alumni/tests/);
    # HR and internal communications read the directory.
    ("get", "/me/alumni/directory/", set(), 403),
    ("get", "/console/alumni/", {"hr", "comms"}, 403),
    # Autopilot: one's own for everyone, its limits the admins' (autopilot/tests).
    ("get", "/me/autopilot/", EVERYONE, 403),
    ("get", "/console/autopilot/", ADMINS, 403),
    # Delegated drafts (docs/decisions/0041-delegated-drafts.md): anyone names a delegate
    # and may be one; drafts and delegations side by side in delegation/tests/.
    ("get", "/me/delegates/", EVERYONE, 403),
    ("get", "/me/writing-for/", EVERYONE, 403),
]
API = [
    ("get", "/api/v1/me", EVERYONE, 403),
    ("get", "/api/v1/people", PEOPLE_READERS, 403),
    ("get", "/api/v1/tokens", EVERYONE, 403),
    ("get", "/api/v1/audit", ADMINS, 403),
    ("get", "/api/v1/people/imports", PEOPLE_WRITERS, 403),
    ("get", "/api/v1/departments", PEOPLE_READERS, 403),
    ("get", "/api/v1/sites", PEOPLE_READERS, 403),
    ("get", "/api/v1/candidates", HR_ONLY, 403),
    ("get", "/api/v1/organisation/settings", ADMINS, 403),
    ("get", "/api/v1/organisation/checklist", CONSOLE, 403),
    ("get", "/api/v1/me/personal-data", EVERYONE, 403),
    ("get", "/api/v1/programs", CONSOLE, 403),
    ("get", "/api/v1/ambassador-types", CONSOLE, 403),
    ("get", "/api/v1/me/invitations", EVERYONE, 403),
    ("get", "/api/v1/me/enrolments", EVERYONE, 403),
    ("get", "/api/v1/links", LINK_READERS, 403),
    ("get", "/api/v1/content/items", CONTENT_STUDIO, 403),
    ("get", "/api/v1/content/channels", EVERYONE, 403),
    ("get", "/api/v1/content/categories", CONTENT_STUDIO, 403),
    ("get", "/api/v1/content/sources", CONTENT_STUDIO, 403),
    ("get", "/api/v1/content/inbox", CONTENT_STUDIO, 403),
    ("get", "/api/v1/content/settings", CONTENT_SETTINGS, 403),
    ("get", "/api/v1/content/suggestions", CONTENT_STUDIO, 403),
    ("get", "/api/v1/guidelines/terms", CONTENT_STUDIO, 403),
    ("get", "/api/v1/guidelines/disclosures", EVERYONE, 403),
    ("get", "/api/v1/feed", EVERYONE, 403),
    ("get", "/api/v1/sharing/accounts", EVERYONE, 403),
    ("get", "/api/v1/sharing/posts", EVERYONE, 403),
    ("get", "/api/v1/sharing/pause", SHARING_MANAGERS, 403),
    ("get", "/api/v1/sharing/settings", ADMINS, 403),
    ("get", "/api/v1/crisis", SHARING_MANAGERS, 403),
    ("get", "/api/v1/provisioning/tokens", ADMINS, 403),
    ("get", "/api/v1/crisis/current", EVERYONE, 403),
    ("get", "/api/v1/analytics/me", EVERYONE, 403),
    ("get", "/api/v1/contributions", EVERYONE, 403),
    ("get", "/api/v1/push/public-key", EVERYONE, 403),
    ("get", "/api/v1/push/subscriptions", EVERYONE, 403),
    ("get", "/api/v1/notifications", EVERYONE, 403),
    ("get", "/api/v1/notifications/unread-count", EVERYONE, 403),
    ("get", "/api/v1/notifications/preferences", EVERYONE, 403),
    ("get", "/api/v1/me/digest", EVERYONE, 403),
    ("get", "/api/v1/analytics/settings", CONSOLE, 403),
    ("get", "/api/v1/me/alumni/directory-entry", set(), 403),
    ("get", "/api/v1/alumni/directory", {"hr", "comms"}, 403),
    ("get", "/api/v1/organisation/two-factor", ADMINS, 403),
    ("get", "/api/v1/me/sessions", EVERYONE, 403),
    ("get", "/api/v1/webhooks/endpoints", ADMINS, 403),
    ("get", "/api/v1/webhooks/event-types", ADMINS, 403),
    ("get", "/api/v1/learning/modules", LEARNING_MANAGERS, 403),
    ("get", "/api/v1/learning/me/path", EVERYONE, 403),
    ("get", "/api/v1/recognition/me/points", EVERYONE, 403),
    ("get", "/api/v1/recognition/highlights", CONSOLE, 403),
    ("get", "/api/v1/learning/progress", CONSOLE, 403),
    ("get", "/api/v1/recognition/badges", CONSOLE, 403),
    ("get", "/api/v1/recognition/me/badges", EVERYONE, 403),
    ("get", "/api/v1/incidents/reports", EVERYONE, 403),
    ("get", "/api/v1/incidents/settings", {"admin", "comms", "outsider"}, 403),
    ("get", "/api/v1/me/coach", {"ambassador"}, 403),
    ("get", "/api/v1/me/coach/questions", {"ambassador"}, 403),
    ("get", "/api/v1/me/profile-checklist", {"ambassador"}, 403),
    ("get", "/api/v1/field/reports/mine", EVERYONE, 403),
    ("get", "/api/v1/field/queue", FIELD_TRIAGERS, 403),
    ("get", "/api/v1/field/figures", FIELD_TRIAGERS, 403),
    ("get", "/api/v1/field/routing", ADMINS, 403),
    ("get", "/api/v1/field/settings", ADMINS, 403),
    ("get", "/api/v1/coaching/questions", {"coach"}, 403),
    ("get", "/api/v1/delegation/delegates", EVERYONE, 403),
    ("get", "/api/v1/delegation/principals", EVERYONE, 403),
    ("get", "/api/v1/delegation/drafts", EVERYONE, 403),
    ("get", "/api/v1/coaching/reviews", {"coach"}, 403),
    ("get", "/api/v1/coaching/assignments", {"admin", "hr", "outsider"}, 403),
    ("get", "/api/v1/coaching/unassigned", {"admin", "hr", "outsider"}, 403),
    ("get", "/api/v1/coaching/overview", {"admin", "hr", "marketer", "outsider"}, 403),
    ("get", "/api/v1/coaching/checklist/explanations", {"admin", "hr", "comms", "outsider"}, 403),
    ("get", "/api/v1/recognition/boards", EVERYONE, 403),
    ("get", "/api/v1/recognition/me/band", EVERYONE, 403),
    ("get", "/api/v1/recognition/me/choices", EVERYONE, 403),
    ("get", "/api/v1/recognition/settings", CONSOLE, 403),
    ("get", "/api/v1/recognition/rewards", EVERYONE, 403),
    ("get", "/api/v1/recognition/me/reward-requests", EVERYONE, 403),
    ("get", "/api/v1/recognition/reward-requests", REWARD_FULFILLERS, 403),
    ("get", "/api/v1/recognition/draws", EVERYONE, 403),
    ("get", "/api/v1/referrals/mine", EVERYONE, 403),
    ("get", "/api/v1/referrals/offers", {"admin", "hr", "outsider"}, 403),
    ("get", "/api/v1/autopilot/me", EVERYONE, 403),
    ("get", "/api/v1/autopilot/me/posts", EVERYONE, 403),
    ("get", "/api/v1/autopilot/settings", ADMINS, 403),
]
WEBHOOK_ROUTES = [
    "console/settings/webhooks/<int:endpoint_id>/",
    "console/settings/webhooks/<int:endpoint_id>/switch",
    "console/settings/webhooks/<int:endpoint_id>/rotate",
    "console/settings/webhooks/<int:endpoint_id>/test",
    "console/settings/webhooks/<int:endpoint_id>/delete",
    "console/settings/webhooks/<int:endpoint_id>/messages/<int:message_id>",
    "console/settings/webhooks/<int:endpoint_id>/messages/<int:message_id>/replay",
]
WEBHOOK_OPERATIONS = {  # persona by persona in webhooks/tests/test_access.py
    ("post", "/api/v1/webhooks/endpoints"),
    ("get", "/api/v1/webhooks/endpoints/{endpoint_id}"),
    ("patch", "/api/v1/webhooks/endpoints/{endpoint_id}"),
    ("delete", "/api/v1/webhooks/endpoints/{endpoint_id}"),
    ("post", "/api/v1/webhooks/endpoints/{endpoint_id}/rotate"),
    ("post", "/api/v1/webhooks/endpoints/{endpoint_id}/test"),
    ("get", "/api/v1/webhooks/endpoints/{endpoint_id}/messages"),
    ("get", "/api/v1/webhooks/endpoints/{endpoint_id}/messages/{message_id}"),
    ("post", "/api/v1/webhooks/endpoints/{endpoint_id}/messages/{message_id}/replay"),
}
# Routes checked elsewhere (public, object-specific, or Django's operator admin).
ELSEWHERE = {
    "",
    "healthz",
    # Public: a colour's stylesheet, the same for everyone: core/tests/test_settings_act.py.
    "brand/<str:colour>.css",
    # The installable app: public, nothing personal (core/tests/test_installable_app.py).
    "manifest.webmanifest",
    "sw.js",
    "offline",
    "app-icons/<str:colour>/<int:size>.png",
    "app-icons/<str:colour>/<int:size>-maskable.png",
    "^media/(?P<path>.+)$",  # public images, content-hash names: core/tests/test_media.py
    "r/<str:code>",  # public short links: tracking/tests/test_redirect.py
    "r/c/<str:token>.gif",  # conversion pixel: tracking/tests/test_conversions.py
    "r/<path:code>",  # a trailing slash, or an orphan visit: tracking/tests/test_redirect.py
    # The digest mail's links, public by design: digests/tests/test_digest_mail.py
    "digest/unsubscribe/<str:token>/",
    "digest/share/<str:signed>/",
    "accounts/login/",
    "accounts/logout/",
    "accounts/language/",
    "operator/",
    "console/outbox/<str:name>",
    "me/tokens/<int:token_id>/revoke",
    "api/v1/",
    "welcome/<str:token>/",  # public one-time link: people/tests/test_invitations.py
    # Suspend and resume: operator only, each persona refused in people/tests/test_operator.py.
    "operator/organisations/<int:organisation_id>/suspend",
    "operator/organisations/<int:organisation_id>/resume",
    "setup/",  # first-run form, 404 for everyone once an organisation exists: test_first_run.py
    # django-allauth's sign-in steps (public, or one step of a sign-in in progress) and the
    # pages behind a fresh password (reauthentication): accounts/tests/.
    "accounts/signup/",
    "accounts/inactive/",
    "accounts/reauthenticate/",
    "accounts/reauthenticate/code/",
    "accounts/reauthenticate/code/confirm/",
    "accounts/login/code/confirm/",
    "accounts/password/set/",
    "accounts/password/reset/",
    "accounts/password/reset/done/",
    "accounts/password/reset/key/done/",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
    "accounts/confirm-email/",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$",
    "accounts/2fa/authenticate/",
    "accounts/2fa/reauthenticate/",
    "accounts/2fa/recovery-codes/",
    "accounts/2fa/recovery-codes/download/",
    "accounts/2fa/recovery-codes/generate/",
    "accounts/2fa/totp/activate/",
    "accounts/2fa/totp/deactivate/",
    "accounts/2fa/webauthn/",
    "accounts/2fa/webauthn/add/",
    "accounts/2fa/webauthn/keys/<int:pk>/edit/",
    "accounts/2fa/webauthn/keys/<int:pk>/remove/",
    "accounts/2fa/webauthn/login/",
    "accounts/2fa/webauthn/reauthenticate/",
    # Programs: each persona against a program, a charter version, an invitation and an
    # enrolment of Acme, in programs/tests/test_access.py (target deletion: test_programs.py).
    "console/programs/<int:program_id>/",
    "console/programs/<int:program_id>/edit",
    "console/programs/<int:program_id>/targets/",
    "console/programs/<int:program_id>/targets/<int:target_id>/delete",
    "console/programs/<int:program_id>/charter/",
    "console/programs/<int:program_id>/charter/<int:version_id>/",
    "console/programs/<int:program_id>/charter/<int:version_id>/publish",
    "console/programs/<int:program_id>/charter/preview",
    "console/programs/<int:program_id>/charter/remind",
    "console/programs/<int:program_id>/invitations/",
    "console/programs/<int:program_id>/campaigns/<int:campaign_id>/",
    "console/ambassador-types/<int:type_id>/",
    "me/programs/<int:program_id>/join",
    "me/invitations/<int:invitation_id>/",
    "me/enrolments/<int:enrolment_id>/charter/",
    "me/enrolments/<int:enrolment_id>/leave",
    "me/enrolments/<int:enrolment_id>/visibility",
    "me/enrolments/<int:enrolment_id>/review",
    "me/enrolments/<int:enrolment_id>/report-consent",  # contributions/tests/test_consent.py
    # The invitation mail's link, public (the way in): programs/tests/test_invitation_link.py
    # and test_enrolment.py.
    "invitations/<str:token>/",
    "invitations/<str:token>/renew",
    # Content: each persona against an item, entry, source, suggestion and term of Acme in
    # content/tests/test_access.py.
    "console/content/<int:item_id>/",
    "console/content/<int:item_id>/edit",
    "console/content/<int:item_id>/preview",
    "console/content/<int:item_id>/image",
    "console/content/<int:item_id>/messages",
    "console/content/<int:item_id>/messages/<int:message_id>/apply/<int:index>",
    "console/content/<int:item_id>/messages/<int:message_id>/delete",
    "console/content/<int:item_id>/comments",
    "console/content/<int:item_id>/translate",
    "console/content/<int:item_id>/do/<str:action>",
    "console/content/inbox/<int:entry_id>/<str:action>",
    "console/content/sources/<int:source_id>/<str:action>",
    "console/content/suggestions/<int:suggestion_id>/moderate",
    "console/content/guidelines/terms/<int:term_id>/delete",
    "console/content/setup/programs/<int:program_id>/",
    "feed/<int:item_id>/hide",
    "feed/<int:item_id>/share",
    # Sharing: each persona against an item, account and post of Acme, and the outsider's
    # 404, in sharing/tests/test_access.py.
    "share/<int:item_id>/",
    # Bulk actions and saved audiences: people/tests/test_audiences.py, content/tests/
    # test_bulk.py, programs/tests/test_audience_invitations.py (who may, and the 403s).
    "console/content/bulk",
    "console/people/bulk",
    "console/people/segments/<int:segment_id>/",
    "console/people/segments/<int:segment_id>/delete",
    "console/programs/bulk-invite",
    "share/<int:item_id>/preview",
    "me/posts/<int:target_id>/cancel",
    "me/posts/<int:target_id>/verify",
    "me/posts/<int:target_id>/delete",  # sharing/tests/test_deleting_a_post.py
    # Problem reports, report by report and persona by persona: incidents/tests/.
    "me/reports/<int:report_id>/",
    "me/reports/<int:report_id>/<str:step>",
    "reports/<int:report_id>/screenshot",
    "console/reports/<int:report_id>/",
    "console/reports/<int:report_id>/<str:step>",
    "me/posts/<int:target_id>/reschedule",
    # A crisis of Acme, each persona and the outsider's 404: crisis/tests/test_rules.py.
    "console/crisis/<int:crisis_id>/",
    "console/crisis/<int:crisis_id>/end",
    "console/crisis/<int:crisis_id>/timeline.csv",
    # Provisioning: revoking a token (provisioning/tests/test_console_and_groups.py), and
    # the SCIM service, opened by provisioning tokens only (provisioning/tests/).
    "console/provisioning/tokens/<int:token_id>/revoke",
    "scim/v2/",
    "scim/v2/ServiceProviderConfig",
    "scim/v2/ResourceTypes",
    "scim/v2/ResourceTypes/<str:name>",
    "scim/v2/Schemas",
    "scim/v2/Schemas/<str:urn>",
    "scim/v2/Users",
    "scim/v2/Users/<str:scim_id>",
    "scim/v2/Groups",
    "scim/v2/Groups/<str:scim_id>",
    "scim/v2/^(?P<rest>.+)$",
    "me/accounts/<str:code>/password",
    "me/accounts/<str:code>/connect",
    "me/accounts/<str:code>/callback",
    "me/accounts/<int:account_id>/disconnect",
    "console/sharing/pause",
    # Contributions: edit and delete (each persona, others' 404) and my report (with its
    # parameters) in contributions/tests/test_pages.py and test_report.py.
    "me/contributions/<int:contribution_id>/edit",
    "me/contributions/<int:contribution_id>/delete",
    "me/contributions/report/",
    # Web push: removing a device (each persona, others' 404) in push/tests/test_pages.py.
    "me/push/<int:subscription_id>/remove",
    # Notifications: opening one (others' 404) and marking all read (a POST), in
    # notifications/tests/test_pages.py.
    "me/notifications/<int:notification_id>/",
    "me/notifications/read-all",
    # Analytics: each persona against a program of Acme (page, CSV, API) and the outsider's
    # 404, in analytics/tests/test_access.py.
    "console/analytics/programs/<int:program_id>/",
    "console/analytics/programs/<int:program_id>/content/",
    "console/analytics/programs/<int:program_id>/networks/",
    "console/analytics/programs/<int:program_id>/people/",
    "console/analytics/programs/<int:program_id>/people/<int:person_id>/",
    # Webhooks: each persona against an endpoint and a message of Acme, and the outsider's
    # 404, in webhooks/tests/test_access.py.
    *WEBHOOK_ROUTES,
    # Single sign-on connections: admins only, another organisation's 404, in
    # identity/tests/test_console.py.
    "console/identity/new/<str:protocol>/",
    "console/identity/<int:pk>/",
    "console/identity/<int:pk>/edit/",
    "console/identity/<int:pk>/test/",
    "console/identity/<int:pk>/switch/",
    "console/identity/<int:pk>/delete/",
    # Slack and Teams: each persona against a program and a channel of Acme, and the
    # outsider's 404, in chat_channels/tests/test_access.py.
    "console/programs/<int:program_id>/chat/",
    "console/programs/<int:program_id>/chat/<int:channel_id>/change",
    "console/programs/<int:program_id>/chat/<int:channel_id>/test",
    "console/programs/<int:program_id>/chat/<int:channel_id>/disconnect",
    # Corrections: HR and admins only, their own organisation's people only, in
    # recognition/tests/test_corrections.py.
    "console/recognition/corrections/",
    "console/recognition/people/<int:person_id>/points/",
    # Badges: the ambassador's 403 on a badge's writes, a colleague's hidden badges and
    # the outsider's 404, in recognition/tests/test_badges_pages.py.
    "me/recognition/badges/visibility",
    "recognition/people/<int:person_id>/badges/",
    "console/recognition/badges/<int:badge_id>/",
    "console/recognition/badges/<int:badge_id>/retire",
    # Rewards: each persona against a reward and a request of Acme, and the outsider's
    # 404, in recognition/tests/test_rewards_pages.py.
    "me/recognition/rewards/<int:reward_id>/request",
    "me/recognition/rewards/requests/<int:request_id>/cancel",
    "console/recognition/rewards/<int:reward_id>/",
    "console/recognition/rewards/<int:reward_id>/retire",
    "console/recognition/rewards/queue/<int:request_id>/<slug:decision>",
    # Prize draws: who may, others' 404, bad input, in recognition/tests/test_draws_pages.py.
    "me/recognition/draws/<int:draw_id>/<slug:choice>",
    "recognition/draws/<int:draw_id>/verify",
    "console/recognition/draws/<int:draw_id>/",
    "console/recognition/draws/<int:draw_id>/<slug:decision>",
    # Training: each persona against a module, question, requirement and attempt of Acme,
    # and the outsider's 404, in learning/tests/test_pages.py.
    "me/learning/<int:module_id>/",
    "me/learning/<int:module_id>/quiz",
    "me/learning/attempts/<int:attempt_id>/",
    # Point rules: each persona, others' programs' 404 and bad input in
    # recognition/tests/test_points_pages.py and test_points_api.py.
    "console/recognition/programs/<int:program_id>/rules/",
    "console/learning/<int:module_id>/",
    "console/learning/<int:module_id>/image",
    "console/learning/<int:module_id>/publish",
    "console/learning/<int:module_id>/remove",
    "console/learning/<int:module_id>/questions/new",
    "console/learning/<int:module_id>/questions/<int:question_id>/",
    "console/learning/<int:module_id>/questions/<int:question_id>/delete",
    "console/learning/<int:module_id>/requirements",
    "console/learning/<int:module_id>/requirements/<int:requirement_id>/delete",
    # Campaigns, challenges and calendar addresses, object by object and with a program
    # (who may, others' 404, bad dates): recognition/tests/test_campaign_pages.py and
    # test_calendar.py; the feed itself is public by design, its secret token the key.
    "console/recognition/campaigns/<int:campaign_id>/",
    "console/recognition/campaigns/<int:campaign_id>/archive",
    "console/recognition/challenges/new",
    "console/recognition/challenges/<int:challenge_id>/",
    "console/recognition/challenges/<int:challenge_id>/archive",
    "console/recognition/calendar/feeds",
    "console/recognition/calendar/feeds/<int:feed_id>/revoke",
    "calendar/<str:token>.ics",
    # Coaching threads, screenshots and reviews: the ambassador and their coach only, the
    # others' 404, in coaching/tests/test_privacy.py; assignment writes in test_pages.py.
    "me/coach/questions/<int:question_id>/",
    "coaching/questions/<int:question_id>/close",
    "coaching/questions/<int:question_id>/screenshot",
    "console/coaching/questions/<int:question_id>/",
    "console/coaching/reviews/<int:review_id>/",
    "console/coaching/assignments/<int:ambassador_id>/remove",
    "console/coaching/coaches/<int:coach_id>/capacity",
    # Delegated drafts: a draft to its principal and its delegate only, a delegation ended
    # by either side, writing only under a current delegation (delegation/tests/).
    "me/writing-for/<int:delegation_id>/new",
    "me/drafts/<int:draft_id>/",
    "me/delegations/<int:delegation_id>/end",
    # SAML single sign-on: public by design (the way in, our metadata), every answer checked
    # and refused with a reason in identity/tests/test_saml_*.py.
    "sso/saml/<int:pk>/start",
    "sso/saml/<int:pk>/acs",
    "sso/saml/<int:pk>/metadata",
    "sso/saml/<int:pk>/sls",
    "sso/saml/<int:pk>/logout",
    # OpenID Connect, the same: the way in and the provider's answer, checked in
    # identity/tests/test_oidc_*.py (an admin's ?test=1 is refused to anyone else).
    "sso/oidc/<int:pk>/start",
    "sso/oidc/<int:pk>/callback",
    # Field reports, report by report: the reporter, the owners of its queue, the others'
    # 404 and the outsider's, in field/tests/test_access.py.
    "me/field-reports/<int:report_id>/",
    "field-reports/<int:report_id>/photo",
    "console/field-reports/<int:report_id>/",
    "console/field-reports/<int:report_id>/<str:step>",
    # The boards' console forms (POST only): who may, bad input, in
    # recognition/tests/test_boards_pages.py.
    "console/recognition/boards/setting",
    "console/recognition/boards/executives",
    # Referrals: the form on an offer, an offer's referrals and erasure (who may, other
    # organisations' 404) in referrals/tests/test_pages.py; the candidate's two pages are
    # public by design, the signed token bound to the row's secret the key
    # (referrals/tests/test_actions.py and test_pages.py).
    "feed/<int:item_id>/refer/",
    "console/referrals/offers/<int:item_id>/",
    "console/referrals/<int:referral_id>/erase",
    "referral/<str:token>/confirm",
    "referral/<str:token>/decline",
    # The autopilot's own posts, the others' 404, and turning it off: autopilot/tests.
    "me/autopilot/off",
    "me/autopilot/posts/<int:target_id>/",
    "me/autopilot/posts/<int:target_id>/cancel",
}

# Pages and operations on one object of Acme (the employee, an import preview):
# (method, path, personas who may, status for the others, status when allowed).
# The outsider, allowed in their own organisation, gets 404 for Acme's objects.
# (Also the few POST-only routes of the signed-in person, answered with a redirect.)
OBJECT_ROUTES = [
    ("get", "/console/people/{person_id}/", PEOPLE_READERS, 403, 200),
    ("get", "/console/people/{person_id}/edit/", PEOPLE_WRITERS, 403, 200),
    ("get", "/console/people/{person_id}/hr-notes/", HR_ONLY, 403, 200),
    ("get", "/console/people/{person_id}/data.zip", ADMINS, 403, 200),
    ("get", "/console/people/{person_id}/erase/", ADMINS, 403, 200),
    ("post", "/console/people/{person_id}/roles", ADMINS, 403, 302),
    ("post", "/console/people/{person_id}/invite", PEOPLE_WRITERS, 403, 302),
    ("get", "/console/people/{person_id}/left", PEOPLE_WRITERS, 403, 200),  # the confirmation
    ("post", "/console/people/{person_id}/left", PEOPLE_WRITERS, 403, 302),
    ("post", "/console/people/{person_id}/second-factor/reset", ADMINS, 403, 302),
    ("get", "/console/people/imports/{import_id}/", PEOPLE_WRITERS, 403, 200),
    ("post", "/console/people/imports/{import_id}/apply", PEOPLE_WRITERS, 403, 302),
    ("post", "/console/people/imports/{import_id}/discard", PEOPLE_WRITERS, 403, 302),
    ("post", "/me/erasure-request", EVERYONE, 403, 302),
    ("post", "/me/push/stop", EVERYONE, 403, 302),
    ("get", "/api/v1/people/{person_id}/hr-notes", HR_ONLY, 403, 200),
    ("get", "/api/v1/people/{person_id}/personal-data", ADMINS, 403, 200),
    ("get", "/api/v1/people/imports/{import_id}", PEOPLE_WRITERS, 403, 200),
    # Without parameters: the page to choose a program and period (downloads: test_report.py).
    ("get", "/console/contributions/people/{person_id}/report/", ADMINS | HR_ONLY, 403, 200),
    # The confirmation page; ending the offer itself: alumni/tests/test_end_offer_and_directory.py.
    ("get", "/console/people/{person_id}/end-alumni-offer/", ADMINS | HR_ONLY, 403, 200),
]


def _object_ids(persona) -> dict[str, int]:
    from ambassade.people.models import PeopleImport
    from ambassade.testing.factories import PersonFactory

    # Not a persona: marking them as left must not lock a persona out mid-test.
    target = PersonFactory(organisation=persona.organisation)
    preview = PeopleImport.objects.create(organisation=persona.organisation, filename="x.csv")
    return {"person_id": target.pk, "import_id": preview.pk}


@pytest.mark.parametrize(("method", "path", "allowed", "refused", "ok"), OBJECT_ROUTES)
def test_object_access(persona, client_for, method, path, allowed, refused, ok) -> None:
    url = path.format(**_object_ids(persona))
    for name in PERSONAS:
        response = getattr(client_for(getattr(persona, name)), method)(url)
        foreign = name == "outsider" and "{" in path
        expected = refused if name not in allowed else 404 if foreign else ok
        assert response.status_code == expected, f"{name} {method.upper()} {url}"


def _route_of(path: str) -> str:
    for name in ("person_id", "import_id"):
        path = path.replace("{" + name + "}", f"<int:{name}>")
    return path.lstrip("/")


@pytest.mark.parametrize(("method", "path", "allowed", "refused"), PAGES + API)
def test_access(persona, client_for, method, path, allowed, refused) -> None:
    for name in PERSONAS:
        response = getattr(client_for(getattr(persona, name)), method)(path)
        expected = 200 if name in allowed else refused
        assert response.status_code == expected, f"{name} {method.upper()} {path}"


@pytest.mark.parametrize(("method", "path", "allowed", "refused"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, method, path, allowed, refused) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) in {"operator/", "api/v1/"}:
                found.append(str(pattern.pattern))
                continue
            found.extend(_routes(pattern, prefix + str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def test_every_route_has_a_row() -> None:
    covered = {path.lstrip("/") for _, path, _, _ in PAGES} | ELSEWHERE
    covered |= {_route_of(path) for _, path, *_ in OBJECT_ROUTES}
    missing = sorted(set(_routes(get_resolver())) - covered)
    assert missing == [], f"add these routes to the access matrix: {missing}"


def test_every_api_operation_has_a_row() -> None:
    from ambassade.api import api

    schema = api.get_openapi_schema()
    operations = {(method, path) for path, methods in schema["paths"].items() for method in methods}
    covered = {(method, path) for method, path, _, _ in API} | {
        ("post", "/api/v1/tokens"),  # tested in people/tests/test_api.py
        ("delete", "/api/v1/tokens/{token_id}"),
        ("get", "/api/v1/people/{person_id}"),
    }
    covered |= {(method, path) for method, path, *_ in OBJECT_ROUTES}
    covered |= WEBHOOK_OPERATIONS
    covered |= {  # coaching writes and threads: coaching/tests/test_api.py, test_privacy.py
        ("post", "/api/v1/coaching/assignments"),
        ("post", "/api/v1/coaching/assignments/by-audience"),
        ("delete", "/api/v1/coaching/assignments/{ambassador_id}"),
        ("put", "/api/v1/coaching/coaches/{coach_id}/capacity"),
        ("post", "/api/v1/me/coach/questions"),
        ("get", "/api/v1/coaching/questions/{question_id}"),
        ("post", "/api/v1/coaching/questions/{question_id}/replies"),
        ("post", "/api/v1/coaching/questions/{question_id}/close"),
        ("put", "/api/v1/me/profile-checklist/{network}"),
        ("post", "/api/v1/me/profile-checklist/{network}/review"),
        ("get", "/api/v1/coaching/reviews/{review_id}"),
        ("post", "/api/v1/coaching/reviews/{review_id}"),
        ("put", "/api/v1/coaching/checklist/explanations/{network}"),
    }
    covered |= {  # field reports, report by report and queue by queue: field/tests/
        ("post", "/api/v1/field/reports"),
        ("get", "/api/v1/field/queue/{report_id}"),
        ("post", "/api/v1/field/queue/{report_id}/triage"),
        ("post", "/api/v1/field/queue/{report_id}/conversion"),
        ("put", "/api/v1/field/routing/{kind}"),
        ("patch", "/api/v1/field/settings"),
    }
    covered |= {  # referrals: referrals/tests/test_api.py (who may, other organisations)
        ("post", "/api/v1/referrals"),
        ("get", "/api/v1/referrals/offers/{offer_id}"),
        ("delete", "/api/v1/referrals/{referral_id}"),
    }
    covered |= {  # alumni writes: alumni/tests/test_end_offer_and_directory.py
        ("put", "/api/v1/me/alumni/directory-entry"),
        ("post", "/api/v1/people/{person_id}/alumni-offer/end"),
    }
    covered |= {  # delegated drafts, side by side: delegation/tests/test_api.py
        ("post", "/api/v1/delegation/delegates"),
        ("post", "/api/v1/delegation/delegations/{delegation_id}/end"),
        ("post", "/api/v1/delegation/drafts"),
        ("get", "/api/v1/delegation/drafts/{draft_id}"),
        ("post", "/api/v1/delegation/drafts/{draft_id}/approve"),
        ("post", "/api/v1/delegation/drafts/{draft_id}/refuse"),
    }
    covered |= {  # accounts writes: accounts/tests/test_two_factor.py and test_accounts.py
        ("patch", "/api/v1/organisation/two-factor"),
        ("delete", "/api/v1/me/sessions/{session_id}"),
    }
    covered |= {  # sharing writes: permission and tenancy tests in sharing/tests/test_access.py
        ("post", "/api/v1/sharing/accounts/bluesky"),
        ("delete", "/api/v1/sharing/accounts/{account_id}"),
        ("post", "/api/v1/sharing/shares"),
        ("post", "/api/v1/sharing/posts/{target_id}/cancel"),
        ("post", "/api/v1/sharing/posts/{target_id}/verify"),
        ("post", "/api/v1/sharing/posts/{target_id}/withdraw"),  # test_deleting_a_post.py
        ("put", "/api/v1/sharing/pause"),
        ("post", "/api/v1/sharing/posts/{target_id}/reschedule"),
        ("patch", "/api/v1/sharing/settings"),
    }
    covered |= {  # problem reports, report by report and persona by persona: incidents/tests/
        ("post", "/api/v1/incidents/reports"),
        ("get", "/api/v1/incidents/reports/{report_id}"),
        ("post", "/api/v1/incidents/reports/{report_id}/acknowledge"),
        ("post", "/api/v1/incidents/reports/{report_id}/notes"),
        ("post", "/api/v1/incidents/reports/{report_id}/resolve"),
        ("post", "/api/v1/incidents/reports/{report_id}/reopen"),
        ("post", "/api/v1/incidents/reports/{report_id}/withdraw-post"),
        ("patch", "/api/v1/incidents/settings"),
    }
    covered |= {  # writes, each with its permission and tenancy tests in people/tests/
        ("post", "/api/v1/people"),
        ("patch", "/api/v1/people/{person_id}"),
        ("put", "/api/v1/people/{person_id}/roles"),
        ("post", "/api/v1/people/{person_id}/account-invitation"),
        ("post", "/api/v1/people/{person_id}/departure"),
        ("post", "/api/v1/people/{person_id}/hr-notes"),
        ("post", "/api/v1/people/{person_id}/erasure"),
        ("post", "/api/v1/people/imports"),
        ("post", "/api/v1/people/imports/{import_id}/apply"),
        ("post", "/api/v1/departments"),
        ("post", "/api/v1/sites"),
        ("get", "/api/v1/me/self-assessment"),  # 404 until answered: test_candidates.py
        ("put", "/api/v1/me/self-assessment"),
        ("delete", "/api/v1/me/self-assessment"),
        ("post", "/api/v1/me/alumni"),
        ("post", "/api/v1/me/erasure-request"),
        ("patch", "/api/v1/organisation/settings"),
    }
    covered |= {  # provisioning tokens: provisioning/tests/test_console_and_groups.py
        ("post", "/api/v1/provisioning/tokens"),
        ("post", "/api/v1/provisioning/tokens/{token_id}/revoke"),
    }
    covered |= {  # crisis: persona by persona in crisis/tests/test_rules.py
        ("post", "/api/v1/crisis"),
        ("get", "/api/v1/crisis/{crisis_id}"),
        ("patch", "/api/v1/crisis/{crisis_id}"),
        ("post", "/api/v1/crisis/{crisis_id}/end"),
        ("get", "/api/v1/crisis/{crisis_id}/timeline"),
    }
    covered |= {  # Slack and Teams: persona by persona in chat_channels/tests/test_access.py
        ("get", "/api/v1/programs/{program_id}/chat-channels"),
        ("post", "/api/v1/programs/{program_id}/chat-channels"),
        ("patch", "/api/v1/programs/{program_id}/chat-channels/{channel_id}"),
        ("delete", "/api/v1/programs/{program_id}/chat-channels/{channel_id}"),
        ("post", "/api/v1/programs/{program_id}/chat-channels/{channel_id}/test"),
    }
    covered |= {  # programs: persona by persona in programs/tests/test_access.py
        ("post", "/api/v1/programs"),
        ("get", "/api/v1/programs/{program_id}"),
        ("patch", "/api/v1/programs/{program_id}"),
        ("get", "/api/v1/programs/{program_id}/targets"),
        ("post", "/api/v1/programs/{program_id}/targets"),
        ("patch", "/api/v1/programs/{program_id}/targets/{target_id}"),
        ("get", "/api/v1/programs/{program_id}/charter-versions"),
        ("post", "/api/v1/programs/{program_id}/charter-versions"),
        ("post", "/api/v1/programs/{program_id}/charter-versions/{version_id}/publish"),
        ("get", "/api/v1/programs/{program_id}/invitations"),
        ("post", "/api/v1/programs/{program_id}/invitations"),
        ("get", "/api/v1/programs/{program_id}/invitations/funnel"),
        ("post", "/api/v1/me/invitations/{invitation_id}/accept"),
        ("post", "/api/v1/me/invitations/{invitation_id}/decline"),
        ("post", "/api/v1/me/enrolments/{enrolment_id}/reaccept"),
        ("post", "/api/v1/me/enrolments/{enrolment_id}/leave"),
        ("put", "/api/v1/me/enrolments/{enrolment_id}/visibility"),
        ("put", "/api/v1/me/enrolments/{enrolment_id}/report-consent"),
        ("patch", "/api/v1/ambassador-types/{type_id}"),
    }
    covered |= {  # content: content/tests/test_api.py and test_access.py
        ("post", "/api/v1/content/items"),
        ("get", "/api/v1/content/items/{item_id}"),
        ("patch", "/api/v1/content/items/{item_id}"),
        ("delete", "/api/v1/content/items/{item_id}"),
        ("post", "/api/v1/content/items/{item_id}/preview"),
        ("post", "/api/v1/content/items/{item_id}/transitions/{action}"),
        ("get", "/api/v1/content/items/{item_id}/messages"),
        ("post", "/api/v1/content/items/{item_id}/messages"),
        ("delete", "/api/v1/content/items/{item_id}/messages/{message_id}"),
        ("get", "/api/v1/content/items/{item_id}/comments"),
        ("post", "/api/v1/content/items/{item_id}/comments"),
        ("post", "/api/v1/content/channels"),
        ("post", "/api/v1/content/categories"),
        ("post", "/api/v1/content/sources"),
        ("delete", "/api/v1/content/sources/{source_id}"),
        ("post", "/api/v1/content/inbox/{entry_id}/accept"),
        ("post", "/api/v1/content/inbox/{entry_id}/discard"),
        ("post", "/api/v1/content/suggestions"),
        ("post", "/api/v1/content/suggestions/{suggestion_id}/moderate"),
        ("post", "/api/v1/guidelines/terms"),
        ("delete", "/api/v1/guidelines/terms/{term_id}"),
        ("put", "/api/v1/guidelines/disclosures/{network}"),
        ("post", "/api/v1/guidelines/check"),
        ("patch", "/api/v1/content/settings"),  # content/tests/test_allowed_hosts.py
    }
    covered |= {  # notifications: notifications/tests/test_api.py
        ("post", "/api/v1/notifications/{notification_id}/read"),
        ("post", "/api/v1/notifications/read-all"),
        ("put", "/api/v1/notifications/preferences"),
    }
    covered |= {("put", "/api/v1/me/digest")}  # digests/tests/test_settings.py
    covered |= {  # contributions: contributions/tests/test_api.py and test_report.py
        ("post", "/api/v1/contributions"),
        ("get", "/api/v1/contributions/report"),
        ("get", "/api/v1/contributions/{contribution_id}"),
        ("patch", "/api/v1/contributions/{contribution_id}"),
        ("delete", "/api/v1/contributions/{contribution_id}"),
    }
    covered |= {  # web push: push/tests/test_api.py
        ("post", "/api/v1/push/subscriptions"),
        ("delete", "/api/v1/push/subscriptions/{subscription_id}"),
    }
    covered |= {  # analytics: analytics/tests/test_access.py
        ("get", "/api/v1/analytics/programs/{program_id}"),
        ("get", "/api/v1/analytics/programs/{program_id}/content"),
        ("get", "/api/v1/analytics/programs/{program_id}/networks"),
        ("get", "/api/v1/analytics/programs/{program_id}/people"),
        ("get", "/api/v1/analytics/programs/{program_id}/people/{person_id}"),
    }
    covered |= {  # analytics settings writes: analytics/tests/test_settings.py
        ("put", "/api/v1/analytics/settings"),
        ("put", "/api/v1/analytics/rates/{network}"),
        ("delete", "/api/v1/analytics/rates/{network}"),
        ("post", "/api/v1/analytics/brand-accounts"),
        ("patch", "/api/v1/analytics/brand-accounts/{account_id}"),
        ("delete", "/api/v1/analytics/brand-accounts/{account_id}"),
    }
    covered |= {  # audiences and saved segments: people/tests/test_api_audiences.py
        ("get", "/api/v1/audiences/criteria"),
        ("post", "/api/v1/audiences/count"),
        ("get", "/api/v1/segments"),
        ("post", "/api/v1/segments"),
        ("put", "/api/v1/segments/{segment_id}"),
        ("delete", "/api/v1/segments/{segment_id}"),
    }
    covered |= {  # tracked links: tracking/tests/test_console.py, test_conversions.py
        ("get", "/api/v1/links/{link_id}/stats"),
        ("post", "/api/v1/conversions"),
    }
    covered |= {  # point rules: recognition/tests/test_points_api.py
        ("get", "/api/v1/recognition/programs/{program_id}/rules"),
        ("put", "/api/v1/recognition/programs/{program_id}/rules"),
    }
    covered |= {  # training: learning/tests/test_api.py (who may, others' 404, bad input)
        ("post", "/api/v1/learning/modules"),
        ("get", "/api/v1/learning/modules/{module_id}"),
        ("patch", "/api/v1/learning/modules/{module_id}"),
        ("delete", "/api/v1/learning/modules/{module_id}"),
        ("post", "/api/v1/learning/modules/{module_id}/image"),
        ("post", "/api/v1/learning/modules/{module_id}/publish"),
        ("post", "/api/v1/learning/modules/{module_id}/questions"),
        ("put", "/api/v1/learning/modules/{module_id}/questions/{question_id}"),
        ("delete", "/api/v1/learning/modules/{module_id}/questions/{question_id}"),
        ("post", "/api/v1/learning/modules/{module_id}/requirements"),
        ("delete", "/api/v1/learning/modules/{module_id}/requirements/{requirement_id}"),
        ("get", "/api/v1/learning/me/modules/{module_id}"),
        ("post", "/api/v1/learning/me/modules/{module_id}/attempts"),
        ("get", "/api/v1/learning/me/attempts/{attempt_id}"),
        ("post", "/api/v1/learning/me/attempts/{attempt_id}/submit"),
    }
    covered |= {  # the boards' writes: recognition/tests/test_boards_api.py
        ("put", "/api/v1/recognition/me/choices"),
        ("put", "/api/v1/recognition/settings"),
        ("put", "/api/v1/recognition/people/{person_id}/executive"),
    }
    covered |= {  # badges: recognition/tests/test_badges_api.py (who may, others' 404)
        ("post", "/api/v1/recognition/badges"),
        ("patch", "/api/v1/recognition/badges/{badge_id}"),
        ("post", "/api/v1/recognition/badges/{badge_id}/image"),
        ("put", "/api/v1/recognition/me/badges/visibility"),
    }
    covered |= {  # corrections: recognition/tests/test_corrections.py
        ("get", "/api/v1/recognition/people/{person_id}/points"),
        ("post", "/api/v1/recognition/people/{person_id}/corrections"),
    }
    covered |= {  # rewards: recognition/tests/test_rewards_api.py, persona by persona
        ("post", "/api/v1/recognition/rewards"),
        ("patch", "/api/v1/recognition/rewards/{reward_id}"),
        ("post", "/api/v1/recognition/rewards/{reward_id}/requests"),
        ("post", "/api/v1/recognition/reward-requests/{request_id}/approve"),
        ("post", "/api/v1/recognition/reward-requests/{request_id}/send"),
        ("post", "/api/v1/recognition/reward-requests/{request_id}/cancel"),
    }
    covered |= {  # prize draws: recognition/tests/test_draws_api.py (who may, others' 404)
        ("post", "/api/v1/recognition/draws"),
        ("patch", "/api/v1/recognition/draws/{draw_id}"),
        ("post", "/api/v1/recognition/draws/{draw_id}/publish"),
        ("post", "/api/v1/recognition/draws/{draw_id}/draw"),
        ("post", "/api/v1/recognition/draws/{draw_id}/cancel"),
        ("post", "/api/v1/recognition/draws/{draw_id}/entry"),
        ("delete", "/api/v1/recognition/draws/{draw_id}/entry"),
        ("get", "/api/v1/recognition/draws/{draw_id}/verification"),
    }
    covered |= {  # campaigns: recognition/tests/test_campaign_pages.py (who may, bad input)
        ("get", "/api/v1/recognition/campaigns"),
        ("post", "/api/v1/recognition/campaigns"),
        ("put", "/api/v1/recognition/campaigns/{campaign_id}"),
        ("post", "/api/v1/recognition/campaigns/{campaign_id}/archive"),
        ("post", "/api/v1/recognition/challenges/{challenge_id}/archive"),
        ("get", "/api/v1/recognition/challenges"),
        ("post", "/api/v1/recognition/challenges"),
        ("put", "/api/v1/recognition/challenges/{challenge_id}"),
        ("post", "/api/v1/recognition/calendar/feeds"),
        ("delete", "/api/v1/recognition/calendar/feeds/{feed_id}"),
    }
    covered |= {  # autopilot writes: autopilot/tests/test_autopilot.py (who may, others' 404)
        ("put", "/api/v1/autopilot/me"),
        ("post", "/api/v1/autopilot/me/off"),
        ("patch", "/api/v1/autopilot/me/posts/{target_id}"),
        ("post", "/api/v1/autopilot/me/posts/{target_id}/cancel"),
        ("put", "/api/v1/autopilot/settings"),
    }
    assert operations - covered == set()


# An alumni ambassador (left, chose to stay; role set {"alumni"}) opens their own space
# and nothing of the console (docs/decisions/0039-alumni-ambassadors.md).
ALUMNI_SPACE = [
    "/me/",
    "/me/home/",
    "/feed/",
    "/me/programs/",
    "/me/accounts/",
    "/me/posts/",
    "/me/figures/",
    "/me/alumni/",
    "/me/alumni/directory/",
]


def test_alumni_ambassadors_open_their_space_and_no_console_page(persona, client_for) -> None:
    from ambassade.testing.factories import PersonFactory

    alumni = PersonFactory(
        organisation=persona.organisation,
        email="alumni@example.com",
        employment_status="left",
        alumni=True,
        with_user=True,
    )
    client = client_for(alumni)
    for path in ALUMNI_SPACE:
        assert client.get(path).status_code == 200, path
    # Rows open to EVERYONE under /console/ are one's own notifications in the console's
    # layout, which alumni already read; every other console page refuses them.
    console = [
        path
        for method, path, allowed, _ in PAGES
        if path.startswith("/console/") and allowed != EVERYONE
    ]
    console += [
        path.format(person_id=alumni.pk)
        for method, path, *_ in OBJECT_ROUTES
        if method == "get" and path.startswith("/console/") and "{import_id}" not in path
    ]
    assert len(console) > 60
    for path in console:
        assert client.get(path).status_code == 403, path
