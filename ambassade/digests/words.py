"""The words of the digest: how its audit rows read."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "digest.settings": _("%(actor)s changed their e-mail digest settings (%(target)s)"),
        "digest.unsubscribe": _(
            "%(actor)s unsubscribed from the e-mail digest with its link (%(target)s)"
        ),
    }
)
