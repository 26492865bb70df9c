"""The share gate of training: a required module not passed (or whose pass is older than
its refresher period) closes sharing for that person, with the reason and a link to it.

Registered in LearningConfig.ready through ``programs.selectors.register_share_gate``:
asked by the composer (no network yet), by every share (per network), by the publishing
claim of a queued post, and before connecting an account (no program).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassade.core.display import name
from ambassade.learning import selectors
from ambassade.people.models import Person
from ambassade.programs.models import Program
from ambassade.programs.selectors import ShareDecision


def training_gate(
    person: Person, program: Program | None, network: str | None
) -> ShareDecision | None:
    type_ids = selectors.type_ids_of(person, program)
    requirements = selectors.requirements_for(person, type_ids)
    if program is None:
        # Connecting an account: only the modules required for that network.
        requirements = requirements.filter(network=network or "")
    elif network is None:
        requirements = requirements.filter(network="")
    else:
        requirements = requirements.filter(network__in=["", network])
    found = list(requirements.order_by("network", "module_id"))
    if not found:
        return None
    modules = {requirement.module_id: requirement.module for requirement in found}
    passes = selectors.last_passes(person, list(modules))
    now = timezone.now()
    for requirement in found:
        module = requirement.module
        passed_at = passes.get(module.pk)
        if selectors.counts_now(module, passed_at, now):
            continue
        title = module.title_for(translation.get_language() or "en")
        if passed_at is not None:
            reason = _(
                "Your training “%(title)s” is due for a refresher: pass it again to share."
            ) % {"title": title}
        elif program is None:
            reason = _("Pass the training module “%(title)s” before connecting %(network)s.") % {
                "title": title,
                "network": name("network", network),
            }
        else:
            reason = _("Pass the training module “%(title)s” before sharing.") % {"title": title}
        return ShareDecision(
            False,
            reason,
            link=reverse("learning:module", args=[module.pk]),
            link_label=_("Open the training “%(title)s”") % {"title": title},
        )
    return None
