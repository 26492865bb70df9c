"""The words of training: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "learning.module_created": _("%(actor)s created the training module %(target)s"),
        "learning.module_changed": _("%(actor)s edited the training module %(target)s"),
        "learning.module_image": _("%(actor)s changed the image of the training module %(target)s"),
        "learning.module_deleted": _("%(actor)s deleted the draft training module %(target)s"),
        "learning.module_archived": _("%(actor)s archived the training module %(target)s"),
        "learning.module_published": _("%(actor)s published the training module %(target)s"),
        "learning.question_added": _("%(actor)s added a quiz question to %(target)s"),
        "learning.question_changed": _("%(actor)s edited a quiz question of %(target)s"),
        "learning.question_deleted": _("%(actor)s deleted a quiz question of %(target)s"),
        "learning.requirement_added": _("%(actor)s set who must take %(target)s"),
        "learning.requirement_removed": _("%(actor)s removed a requirement of %(target)s"),
        "learning.attempt_started": _("%(actor)s started a quiz (%(target)s)"),
        "learning.attempt_submitted": _("%(actor)s submitted a quiz (%(target)s)"),
    }
)
