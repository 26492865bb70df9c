"""Forms of the single sign-on console: they parse input; the actions decide what is valid
(and ask the provider: discovery, metadata)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ambassade.core.roles import Role
from ambassade.identity.assertions import FIELD_NAMES
from ambassade.identity.models import (
    MAPPED_FIELDS,
    Connection,
    Protocol,
    SsoRequirement,
    UnknownPeople,
)
from ambassade.people.models import Person

METADATA_FILE_MAX_BYTES = 2_000_000


class ConnectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example “Entra ID”."))
    domains = forms.CharField(
        label=_("E-mail domains"),
        required=False,
        help_text=_(
            "Separated by commas or spaces, for example “acme.com, acme.fr”. Typing an address "
            "of these domains on the sign-in page leads to this provider."
        ),
    )
    unknown_people = forms.ChoiceField(
        label=_("People the organisation does not know yet"),
        choices=UnknownPeople.choices,
        initial=UnknownPeople.REFUSE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, protocol: str, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.protocol = protocol
        self.editing = editing
        self._add_protocol_fields()
        defaults = Connection(protocol=protocol).mapping()
        for field in MAPPED_FIELDS:
            self.fields[f"map_{field}"] = forms.CharField(
                label=FIELD_NAMES[field],
                required=False,
                max_length=255,
                initial=defaults[field],
                # The default is the initial value (not repeated in words: it is a code).
                help_text=_("The claim or attribute name; empty: the default."),
            )

    def _add_protocol_fields(self) -> None:
        if self.protocol == Protocol.OIDC:
            self.fields["oidc_issuer"] = forms.CharField(
                label=_("Issuer"),
                max_length=500,
                help_text=_(
                    "The provider's issuer address, or its discovery document's "
                    "(…/.well-known/openid-configuration)."
                ),
            )
            self.fields["oidc_client_id"] = forms.CharField(label=_("Client id"), max_length=255)
            self.fields["client_secret"] = forms.CharField(
                label=_("Client secret"),
                required=not self.editing,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                help_text=_("Kept encrypted and never shown again.")
                if not self.editing
                else _("Leave empty to keep the current secret; it is never shown again."),
            )
        else:
            self.fields["saml_metadata_url"] = forms.CharField(
                label=_("Metadata URL"),
                required=False,
                max_length=500,
                help_text=_("The address where the provider publishes its SAML metadata."),
            )
            self.fields["metadata_file"] = forms.FileField(
                label=_("Or the metadata file"),
                required=False,
                help_text=_("The provider's metadata XML file, when it has no address.")
                if not self.editing
                else _("Leave both empty to keep the current metadata."),
            )

    def clean_metadata_file(self) -> str:
        upload = self.cleaned_data.get("metadata_file")
        if not upload:
            return ""
        if upload.size > METADATA_FILE_MAX_BYTES:
            raise forms.ValidationError(_("This file is too large to be SAML metadata."))
        try:
            text: str = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                _("This file is not text: upload the metadata XML.")
            ) from None
        return text

    @staticmethod
    def initial_of(connection: Connection) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": connection.name,
            "domains": ", ".join(connection.domains),
            "unknown_people": connection.unknown_people,
            "oidc_issuer": connection.oidc_issuer,
            "oidc_client_id": connection.oidc_client_id,
            "saml_metadata_url": connection.saml_metadata_url,
        }
        for field, claim in connection.mapping().items():
            initial[f"map_{field}"] = claim
        return initial

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        found = {
            "name": data["name"],
            "domains": data["domains"],
            "unknown_people": data["unknown_people"],
            "attribute_map": {field: data.get(f"map_{field}", "") for field in MAPPED_FIELDS},
        }
        if self.protocol == Protocol.OIDC:
            found.update(
                oidc_issuer=data["oidc_issuer"],
                oidc_client_id=data["oidc_client_id"],
                client_secret=data.get("client_secret", ""),
            )
        else:
            found.update(
                saml_metadata_url=data.get("saml_metadata_url", ""),
                saml_metadata_xml=data.get("metadata_file", ""),
            )
        return found


class AdminsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.email})"


class PolicyForm(forms.Form):
    sso_required = forms.ChoiceField(
        label=_("Single sign-on required for"),
        choices=SsoRequirement.choices,
        widget=forms.RadioSelect,
    )
    break_glass = AdminsField(
        label=_("Break-glass admins"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Admins who keep their password (with a second factor) if the identity provider "
            "fails. Each of their password sign-ins is written to the audit log."
        ),
    )

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        admins = (
            Person.objects.filter(organisation=organisation, role_assignments__role=Role.ADMIN)
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        field = self.fields["break_glass"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = admins
        field.error_messages["invalid_choice"] = _(
            "Only the organisation's admins can be break-glass admins."
        )
