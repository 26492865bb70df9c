"""The words of analytics: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "analytics.brand_account_added": _("%(actor)s added the brand account %(target)s"),
        "analytics.brand_account_changed": _("%(actor)s changed the brand account %(target)s"),
        "analytics.brand_account_removed": _("%(actor)s removed the brand account %(target)s"),
        "analytics.export": _("%(actor)s exported figures (%(target)s)"),
        "analytics.media_rate_reset": _(
            "%(actor)s went back to the standard media rates (%(target)s)"
        ),
        "analytics.media_rate_set": _("%(actor)s set a media rate (%(target)s)"),
        "analytics.settings_changed": _("%(actor)s changed the figures settings"),
    }
)
