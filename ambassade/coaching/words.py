"""The words of coaching: how its audit rows read, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences

register_sentences(
    {
        "coaching.assigned": _("%(actor)s gave %(target)s a coach"),
        "coaching.unassigned": _("%(actor)s removed the coach of %(target)s"),
        "coaching.capacity_changed": _("%(actor)s changed how many ambassadors %(target)s coaches"),
        "coaching.question_asked": _("%(actor)s asked their coach a question (%(target)s)"),
        "coaching.replied": _("%(actor)s wrote in a coaching thread (%(target)s)"),
        "coaching.question_closed": _("%(actor)s closed a coaching question (%(target)s)"),
        "coaching.checklist_ticked": _("%(actor)s updated their profile checklist"),
        "coaching.review_requested": _(
            "%(actor)s asked their coach to review a profile (%(target)s)"
        ),
        "coaching.review_given": _("%(actor)s reviewed a profile (%(target)s)"),
        "coaching.explanation_changed": _(
            "%(actor)s changed an explanation of the profile checklist"
        ),
    }
)


def _register_names() -> None:
    from ambassade.coaching.models import ProfileReview, Question, ReviewVerdict

    display.register("coaching_question_status", Question.Status.choices)
    display.register("coaching_review_status", ProfileReview.Status.choices)
    display.register("coaching_verdict", ReviewVerdict.Verdict.choices)


_register_names()
