"""The words of sharing: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.sharing.models import TargetStatus

register_sentences(
    {
        "sharing.account_connected": _("%(actor)s connected a network account (%(target)s)"),
        "sharing.account_disconnected": _("%(actor)s disconnected a network account (%(target)s)"),
        "sharing.account_expiry_warned": _(
            "%(actor)s warned that the connection of a network account ends soon (%(target)s)"
        ),
        "sharing.accounts_forgotten": _("%(actor)s erased the network accounts of %(target)s"),
        "sharing.alumni_posts_cancelled": _(
            "%(actor)s cancelled the scheduled posts of %(target)s: the alumni space closed"
        ),
        "sharing.item_posts_cancelled": _(
            "%(actor)s cancelled the scheduled posts of “%(target)s”"
        ),
        "sharing.network_app_saved": _("%(actor)s saved the application of a network (%(target)s)"),
        "sharing.post_deleted": _("%(actor)s deleted a post from the network (%(target)s)"),
        "sharing.post_deletion_failed": _(
            "%(actor)s tried to delete a post from the network, which refused (%(target)s)"
        ),
        "sharing.paused": _("%(actor)s paused the posts"),
        "sharing.held_returned": _("%(actor)s returned the held posts to their authors"),
        "sharing.held_cancelled": _("%(actor)s cancelled the held posts"),
        "sharing.target_rescheduled": _("%(actor)s scheduled a returned post again (%(target)s)"),
        "sharing.resumed": _("%(actor)s resumed the posts"),
        "sharing.queue_changed": _("%(actor)s changed the posting queue (%(target)s)"),
        "sharing.settings_changed": _("%(actor)s changed the sharing settings"),
        "sharing.share_created": _("%(actor)s shared a content (%(target)s)"),
        "sharing.target_cancelled": _("%(actor)s cancelled a post (%(target)s)"),
        "sharing.target_verified": _("%(actor)s confirmed a post (%(target)s)"),
    }
)

display.register("post_status", TargetStatus.choices)
