"""The words of provisioning: its audit rows, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.provisioning.models import GroupMapping, Outcome

register_sentences(
    {
        "provisioning.token_created": _("%(actor)s created the provisioning token %(target)s"),
        "provisioning.token_revoked": _("%(actor)s revoked the provisioning token %(target)s"),
        "provisioning.groups_mapping_changed": _(
            "%(actor)s chose what the identity provider's groups are"
        ),
        "provisioning.user_removed": _(
            "%(actor)s deleted %(target)s in the identity provider (departure recorded)"
        ),
        "provisioning.user_restored": _(
            "%(actor)s created %(target)s again in the identity provider"
        ),
        "provisioning.group_unmapped": _("%(actor)s stopped provisioning the group %(target)s"),
    }
)
display.register("groups_are", GroupMapping.choices)
display.register("provisioning_outcome", Outcome.choices)
display.register_fields(
    {
        "groups_are": (_("SCIM groups are"), "groups_are"),
        "external_id": (_("External id"), None),
        "employee_number": (_("Employee number"), None),
    }
)
