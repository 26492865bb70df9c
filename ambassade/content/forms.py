"""Forms of the content pages: they parse input; the actions decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ambassade.content.actions import published_changes
from ambassade.content.models import (
    LANGUAGES,
    Category,
    Channel,
    Kind,
    TermKind,
    network_choices,
)
from ambassade.core.authz import Actor
from ambassade.core.forms import add_action_errors
from ambassade.core.models import Organisation
from ambassade.core.roles import Role
from ambassade.people.models import Department, Person, SavedSegment, Site
from ambassade.programs.models import AmbassadorType, Program

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]
MALFORMED_DATE = _("Give a date and time such as 2026-03-31 14:30.")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def _moment(label: Any, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=DateTimeInput(),
        error_messages={"invalid": MALFORMED_DATE},
    )


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Puts an action's per-field messages next to the fields that caused them."""
    aliases = {
        "program_id": "program",
        "category_id": "category",
        "credited_id": "credited",
        "channel_ids": "channels",
        "department_ids": "departments",
        "site_ids": "sites",
        "type_ids": "ambassador_types",
        "channel_id": "channel",
    }
    add_action_errors(form, error, aliases=aliases)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    url = forms.CharField(
        label=_("Address of the page"),
        required=False,
        max_length=2048,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("For an article or a web page: its title, text and image are read from it."),
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Simple formatting is kept (paragraphs, bold, lists, links)."),
    )
    job_site = forms.CharField(label=_("Job location"), required=False, max_length=120)
    contract_type = forms.CharField(label=_("Contract type"), required=False, max_length=60)
    apply_url = forms.CharField(label=_("Application address"), required=False, max_length=2048)
    event_start = _moment(_("Event date and time"))
    event_place = forms.CharField(label=_("Event place"), required=False, max_length=200)
    registration_url = forms.CharField(
        label=_("Registration address"), required=False, max_length=2048
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    segment = forms.ModelChoiceField(
        label=_("Start from a saved segment"),
        queryset=SavedSegment.objects.none(),
        required=False,
        help_text=_(
            "Its departments, sites, languages and ambassador types are added to the boxes below."
        ),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("For these departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: everyone."),
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("For these sites"),
        queryset=Site.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_languages = forms.MultipleChoiceField(
        label=_("For people who read"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ambassador_types = forms.ModelMultipleChoiceField(
        label=_("For these ambassador types"),
        queryset=AmbassadorType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    publish_from = _moment(_("Publish from"))
    publish_until = _moment(_("Publish until"))
    featured = forms.BooleanField(label=_("Featured at the top of the feed"), required=False)
    for_alumni = forms.BooleanField(
        label=_("For alumni too"),
        required=False,
        help_text=_("Alumni ambassadors see it in their feed (never internal news)."),
    )
    credited = forms.ModelChoiceField(
        label=_("Credited employee"), queryset=Person.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scoped = {"organisation_id": organisation_id}
        fields = self.fields
        fields["program"].queryset = Program.objects.filter(  # type: ignore[attr-defined]
            status=Program.Status.ACTIVE, **scoped
        )
        fields["channels"].queryset = Channel.objects.filter(**scoped)  # type: ignore[attr-defined]
        fields["category"].queryset = Category.objects.filter(**scoped)  # type: ignore[attr-defined]
        fields["departments"].queryset = Department.objects.filter(**scoped)  # type: ignore[attr-defined]
        fields["segment"].queryset = SavedSegment.objects.filter(**scoped)  # type: ignore[attr-defined]
        fields["sites"].queryset = Site.objects.filter(**scoped)  # type: ignore[attr-defined]
        fields["ambassador_types"].queryset = AmbassadorType.objects.filter(**scoped)  # type: ignore[attr-defined]
        # Only the organisation's enabled languages (all, until it chooses), plus those the
        # item already has, so that an edit never loses them.
        enabled = (
            Organisation.objects.filter(pk=organisation_id)
            .values_list("languages", flat=True)
            .first()
        )
        if enabled:
            kept = {
                *enabled,
                self.initial.get("language"),
                *self.initial.get("target_languages", []),
            }
            for name in ("language", "target_languages"):
                fields[name].choices = [  # type: ignore[attr-defined]
                    (code, label) for code, label in LANGUAGES if code in kept
                ]
        # Credit goes to people who suggested content (the suggestions' authors).
        fields["credited"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            content_suggestions__isnull=False, **scoped
        ).distinct()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("segment"):
            from ambassade.content.targeting import add_segment

            try:
                add_segment(data, data["segment"])
            except ValidationError as error:
                self.add_error("segment", error.message_dict["segment"])
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "program_id": data["program"].pk,
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "body": data["body"],
            "url": data["url"],
            "job_site": data["job_site"],
            "contract_type": data["contract_type"],
            "apply_url": data["apply_url"],
            "event_start": data["event_start"],
            "event_place": data["event_place"],
            "registration_url": data["registration_url"],
            "language": data["language"],
            "channel_ids": [channel.pk for channel in data["channels"]],
            "category_id": data["category"].pk if data["category"] else None,
            "department_ids": [department.pk for department in data["departments"]],
            "site_ids": [site.pk for site in data["sites"]],
            "type_ids": [kind.pk for kind in data["ambassador_types"]],
            "target_languages": data["target_languages"],
            "publish_from": data["publish_from"],
            "publish_until": data["publish_until"],
            "featured": data["featured"],
            "for_alumni": data["for_alumni"],
            "credited_id": data["credited"].pk if data["credited"] else None,
        }


def initial_of(item: Any) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "program": item.program_id,
        "url": item.url,
        "title": item.title,
        "description": item.description,
        "body": item.body,
        "job_site": item.job_site,
        "contract_type": item.contract_type,
        "apply_url": item.apply_url,
        "event_start": item.event_start,
        "event_place": item.event_place,
        "registration_url": item.registration_url,
        "language": item.language,
        "channels": list(item.channels.all()),
        "category": item.category_id,
        "departments": list(item.target_departments.all()),
        "sites": list(item.target_sites.all()),
        "target_languages": item.language_list,
        "ambassador_types": list(item.target_ambassador_types.all()),
        "publish_from": item.publish_from,
        "publish_until": item.publish_until,
        "featured": item.featured,
        "for_alumni": item.for_alumni,
        "credited": item.credited_id,
    }


MANY_FIELDS = {
    "channels": "channels",
    "target_departments": "departments",
    "target_sites": "sites",
    "target_ambassador_types": "ambassador_types",
}


def initial_for_edit(actor: Actor, item: Any) -> dict[str, Any]:
    """The live item, or the change waiting for review when there is one."""
    if item.pending_change is None:
        return initial_of(item)
    try:
        copy, many = published_changes.proposed(actor, item)
    except ValidationError:  # no longer valid (an archived program…): start from the live item
        return initial_of(item)
    initial = initial_of(copy)
    for field, objects in many.items():
        initial[MANY_FIELDS[field]] = objects
    return initial


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image"), help_text=_("JPEG, PNG, WebP or GIF, 8 MB at most."))
    image_alt = forms.CharField(
        label=_("What the image shows (for screen readers)"), required=False, max_length=300
    )


class MessageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    network = forms.ChoiceField(label=_("Network"), choices=network_choices)
    text = forms.CharField(
        label=_("Suggested message"),
        widget=forms.Textarea(attrs={"rows": 4, "data-count-network": "any"}),
    )
    hashtags = forms.CharField(
        label=_("Hashtags"), required=False, max_length=300, help_text=_("Separated by spaces.")
    )
    mentions = forms.CharField(label=_("Mentions"), required=False, max_length=300)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SourceForm(forms.Form):
    url = forms.CharField(label=_("Feed address (RSS or Atom)"), max_length=2048)
    title = forms.CharField(label=_("Name"), required=False, max_length=200)
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False
    )
    trusted = forms.BooleanField(
        label=_("Trusted: publish new entries directly into the channel"), required=False
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id, status=Program.Status.ACTIVE
        )
        self.fields["channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id
        )


class SuggestionForm(forms.Form):
    url = forms.CharField(
        label=_("Address of the page"),
        required=False,
        max_length=2048,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    text = forms.CharField(
        label=_("Or a text"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    note = forms.CharField(label=_("A note for the team"), required=False, max_length=500)


class ModerationForm(forms.Form):
    response = forms.CharField(label=_("Answer to the author"), required=False, max_length=500)


class TermForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TermKind.choices)
    text = forms.CharField(label=_("Term"), max_length=120)
    suggestion = forms.CharField(label=_("Suggested wording"), required=False, max_length=200)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class DisclosureForm(forms.Form):
    network = forms.ChoiceField(label=_("Network"), choices=network_choices)
    text = forms.CharField(
        label=_("Required disclosure"),
        required=False,
        max_length=120,
        help_text=_("Empty: no disclosure on this network."),
    )


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Channel"), max_length=80)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Category"), max_length=80)
    promotional = forms.BooleanField(label=_("Promotional"), required=False)


class SettingsForm(forms.Form):
    promotional_threshold = forms.IntegerField(
        label=_("Promotional share warning (%)"), min_value=0, max_value=100
    )
    trusted_after = forms.IntegerField(
        label=_("Suggestions accepted before direct publication"), min_value=0, max_value=100
    )
    allowed_hosts = forms.CharField(
        label=_("Public hosts that may be read on other ports"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One public host name a line (no IP address, no local name). An intranet host "
            "can only be opened by the operator of the instance."
        ),
    )
    alumni_disclosure = forms.CharField(
        label=_("Alumni disclosure"),
        required=False,
        max_length=120,
        help_text=_(
            "Added to every post of an alumni ambassador; {organisation} stands for the "
            "organisation's name. Empty: “Former {organisation} employee”, in the post's "
            "language."
        ),
    )


class PolicyForm(forms.Form):
    reviewer_roles = forms.MultipleChoiceField(
        label=_("Roles that approve"),
        choices=[(role.value, role.label) for role in Role if role != Role.AMBASSADOR],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    compliance_reviewers = forms.ModelMultipleChoiceField(
        label=_("Compliance reviewers"),
        queryset=Person.objects.none(),
        required=False,
        # A checkbox for each name, filtered as one types (app.js): a multiple select of
        # ninety names needed Ctrl-click and showed four at a time.
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People of the console who may also approve the program's items."),
    )
    regulated = forms.BooleanField(
        label=_("Regulated: every item approved by someone else, versions kept three years"),
        required=False,
    )
    self_approval = forms.BooleanField(
        label=_("Authors may approve their own items"),
        required=False,
        help_text=_(
            "Off by default (four-eyes review): someone other than the author approves "
            "each item. Never in a regulated program."
        ),
    )
    while_reviewed = forms.ChoiceField(
        label=_("When a published item of a regulated program is changed"),
        choices=[
            ("keep", _("Its approved version stays live until the change is approved")),
            ("withdraw", _("It leaves the feed until the change is approved")),
        ],
        initial="keep",
        required=False,  # left out: the program's choice stays as it is
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["compliance_reviewers"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            organisation_id=organisation_id,
            role_assignments__isnull=False,
            employment_status="active",
        ).distinct()
        self.fields["compliance_reviewers"].searchable = True  # type: ignore[attr-defined]
