"""The words of webhooks: how its audit rows read."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "webhook_endpoint.created": _("%(actor)s added a webhook endpoint (%(target)s)"),
        "webhook_endpoint.changed": _("%(actor)s changed a webhook endpoint (%(target)s)"),
        "webhook_endpoint.deleted": _("%(actor)s deleted a webhook endpoint (%(target)s)"),
        "webhook_endpoint.secret_rotated": _(
            "%(actor)s rotated the secret of a webhook endpoint (%(target)s)"
        ),
        "webhook_endpoint.disabled_automatically": _(
            "%(actor)s disabled a webhook endpoint that kept failing (%(target)s)"
        ),
        "webhook_message.replayed": _("%(actor)s sent a webhook message again (%(target)s)"),
        "webhook_message.test_sent": _("%(actor)s sent a test webhook event (%(target)s)"),
    }
)
