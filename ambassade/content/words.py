"""The words of content: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.content.models import Kind, Network, Status
from ambassade.core import display
from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "content.category_added": _("%(actor)s added the category %(target)s"),
        "content.change_approved": _("%(actor)s approved the change to “%(target)s”"),
        "content.change_sent_back": _("%(actor)s sent the change to “%(target)s” back"),
        "content.change_submitted": _(
            "%(actor)s changed the published “%(target)s”: the change waits for review"
        ),
        "content.channel_added": _("%(actor)s added the channel %(target)s"),
        "content.comment_added": _("%(actor)s commented on “%(target)s”"),
        "content.disclosure_removed": _("%(actor)s removed the disclosure of “%(target)s”"),
        "content.disclosure_set": _("%(actor)s set the disclosure of “%(target)s”"),
        "content.entry_accepted": _("%(actor)s kept an entry from a source (%(target)s)"),
        "content.entry_discarded": _("%(actor)s discarded an entry from a source (%(target)s)"),
        "content.image_attached": _("%(actor)s attached an image to “%(target)s”"),
        "content.item_changed": _("%(actor)s edited “%(target)s”"),
        "content.item_created": _("%(actor)s created “%(target)s”"),
        "content.item_deleted": _("%(actor)s deleted “%(target)s”"),
        "content.item_draft": _("%(actor)s sent “%(target)s” back to draft"),
        "content.item_submitted": _("%(actor)s submitted “%(target)s” for review"),
        "content.item_approved": _("%(actor)s approved “%(target)s”"),
        "content.item_published": _("%(actor)s published “%(target)s”"),
        "content.item_expired": _(
            "%(actor)s ended the publication of “%(target)s” at its end date"
        ),
        "content.item_archived": _("%(actor)s archived “%(target)s”"),
        "content.message_added": _("%(actor)s added a suggested message (%(target)s)"),
        "content.message_changed": _("%(actor)s edited a suggested message (%(target)s)"),
        "content.message_deleted": _("%(actor)s deleted a suggested message (%(target)s)"),
        "content.policy_changed": _("%(actor)s changed the review rule (%(target)s)"),
        "content.preview_fetched": _("%(actor)s fetched the link preview of “%(target)s”"),
        "content.settings_changed": _("%(actor)s changed the content settings"),
        "content.source_added": _("%(actor)s added the source %(target)s"),
        "content.source_changed": _("%(actor)s changed the source %(target)s"),
        "content.source_deleted": _("%(actor)s deleted the source %(target)s"),
        "content.source_polled": _("%(actor)s read the source %(target)s"),
        "content.suggestion_published_directly": _(
            "%(actor)s published a suggestion directly (%(target)s)"
        ),
        "content.suggestion_submitted": _("%(actor)s suggested a content (%(target)s)"),
        "content.term_added": _("%(actor)s added the term “%(target)s” to the guidelines"),
        "content.term_deleted": _("%(actor)s removed the term “%(target)s” from the guidelines"),
        "content.translation_created": _("%(actor)s created a translation of “%(target)s”"),
    }
)

display.register("network", Network.choices)
display.register("content_kind", Kind.choices)
display.register("content_status", Status.choices)
display.register("status", Status.choices)
