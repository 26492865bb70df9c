"""The words of the alumni app: how its audit rows read."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "alumni.directory_entry_changed": _(
            "%(actor)s changed their entry in the alumni directory (%(target)s)"
        ),
    }
)
