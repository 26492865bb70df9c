"""The words of single sign-on: its audit rows, and the names of its codes."""

from django.utils.translation import gettext_lazy as _

from ambassade.core import display
from ambassade.core.audit_text import register_sentences
from ambassade.identity.models import Protocol, SsoRequirement, UnknownPeople

register_sentences(
    {
        "identity.connection_created": _(
            "%(actor)s added a single sign-on connection (%(target)s)"
        ),
        "identity.connection_changed": _(
            "%(actor)s changed a single sign-on connection (%(target)s)"
        ),
        "identity.connection_enabled": _(
            "%(actor)s switched on a single sign-on connection (%(target)s)"
        ),
        "identity.connection_disabled": _(
            "%(actor)s switched off a single sign-on connection (%(target)s)"
        ),
        "identity.connection_deleted": _(
            "%(actor)s deleted a single sign-on connection (%(target)s)"
        ),
        "identity.connection_tested": _(
            "%(actor)s tested a single sign-on connection (%(target)s)"
        ),
        "identity.policy_changed": _("%(actor)s changed the single sign-on requirement"),
        "identity.signed_in": _("%(actor)s signed in through single sign-on"),
        "identity.person_created": _(
            "%(actor)s signed in through single sign-on for the first time: person created"
        ),
        "identity.sign_in_refused": _("A single sign-on was refused (%(target)s)"),
        "identity.break_glass_sign_in": _(
            "%(actor)s signed in with a password as a break-glass admin"
        ),
    }
)
display.register("protocol", Protocol.choices)
display.register("sso_required", SsoRequirement.choices)
display.register("unknown_people", UnknownPeople.choices)
display.register_fields(
    {
        "protocol": (_("Protocol"), "protocol"),
        "enabled": (_("Enabled"), None),
        "domains": (_("E-mail domains"), None),
        "unknown_people": (_("People the organisation does not know yet"), "unknown_people"),
        "attribute_map": (_("Attribute mapping"), None),
        "issuer": (_("Issuer"), None),
        "client_id": (_("Client id"), None),
        "client_secret": (_("Client secret"), None),
        "metadata_url": (_("Metadata URL"), None),
        "idp_entity_id": (_("Identity provider's entity id"), None),
        "linked_people": (_("Linked people"), None),
        "sso_required": (_("Single sign-on required for"), "sso_required"),
        "break_glass": (_("Break-glass admins"), None),
        "methods": (_("Sign-in methods"), None),
        "connection": (_("Connection"), None),
    }
)
