"""The words of core: its audit sentences, and the labels of the fields that audit rows
change (shared by every app's rows). Roles and languages are named in core/display.py."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences
from ambassade.core.display import register_fields

register_sentences(
    {
        "organisation.settings_changed": _("%(actor)s changed the organisation settings"),
        "api.token_locked_out": _(
            "%(actor)s blocked a source of API tokens after repeated failures"
        ),
    }
)

register_fields(
    {
        "status": (_("Status"), "status"),
        "ambassador_type": (_("Ambassador type"), "ambassador_kind"),
        "roles": (_("Roles"), "role"),
        "reviewer_roles": (_("Reviewing roles"), "role"),
        "languages": (_("Languages"), "language"),
        "language": (_("Language"), "language"),
        "network": (_("Network"), "network"),
        "end_date": (_("End date"), None),
        "start": (_("Start"), None),
        "end": (_("End"), None),
        "alumni": (_("Alumni network"), None),
        "contribution_report_consent": (_("Consent to the contribution report"), None),
        "individual_visibility": (_("Individual figures visible"), None),
        "name": (_("Name"), None),
        "title": (_("Title"), None),
        "text": (_("Text"), None),
        "url": (_("Address"), None),
        "number": (_("Number"), None),
        "reason": (_("Reason"), "reason"),
        "invited": (_("Invited"), None),
        "days": (_("Days"), None),
        "format": (_("Format"), None),
        "metric": (_("Measure"), "metric"),
        "program": (_("Program"), None),
        "handle": (_("Account"), None),
        "time_zone": (_("Time zone"), None),
        "promotional_threshold": (_("Promotional threshold"), None),
        "allowed_hosts": (_("Allowed hosts"), None),
        "scheduled_for": (_("Scheduled for"), None),
        "comment": (_("Comment"), None),
        "charter_version": (_("Charter version"), None),
        "expires_at": (_("Expires on"), None),
        "error": (_("Error"), None),
        "kind": (_("Kind"), None),
        "type": (_("Type"), None),
        "active": (_("Active"), None),
        "paused_enrolments": (_("Paused enrolments"), None),
        "enrolments_ended": (_("Enrolments ended"), None),
        "tokens_revoked": (_("Tokens revoked"), None),
        "currency": (_("Currency"), None),
        "cost_per_click": (_("Cost per click"), None),
        "cost_per_mille": (_("Cost per thousand impressions"), None),
        "country": (_("Country"), None),
        "value": (_("Value"), None),
        "created": (_("Created"), None),
        "skipped": (_("Skipped"), None),
        "limit": (_("Limit"), None),
        "small_group": (_("Smallest group shown"), None),
        "grace_days": (_("Grace days"), None),
        "required_for_console": (_("Required for the console"), None),
        "compliance_reviewers": (_("Compliance reviewers"), None),
        "regulated": (_("Regulated"), None),
        "promotional": (_("Promotional"), None),
        "scopes": (_("Permissions"), None),
        "trusted": (_("Trusted"), None),
        "similarity": (_("Similarity"), None),
    }
)
