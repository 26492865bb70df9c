"""The console's crisis forms. The end date is typed in the reader's language (the same
day and time fields as the composer); spokespeople by their work e-mail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.crisis import notices
from ambassade.crisis.models import AtEnd, AtStart
from ambassade.people.models import Person
from ambassade.sharing import dates

MAX_SPOKESPEOPLE = 50


class CrisisForm(forms.Form):
    name = forms.CharField(label=_("Name of the crisis"), max_length=200)
    description = forms.CharField(
        label=_("Description, shown to every ambassador"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
    )
    to_do = forms.CharField(
        label=_("What to do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    not_to_do = forms.CharField(
        label=_("What not to do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    end_day = forms.CharField(label=_("Ends on"), max_length=20)
    end_time = forms.CharField(label=_("At"), max_length=10)
    spokespeople = forms.CharField(
        label=_("Spokespeople who still share (work e-mails, one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    at_start = forms.ChoiceField(
        label=_("Scheduled and queued posts"),
        choices=AtStart.choices,
        initial=AtStart.HOLD,
        widget=forms.RadioSelect,
    )
    at_end = forms.ChoiceField(
        label=_("At the end of the crisis, the held posts"),
        choices=AtEnd.choices,
        initial=AtEnd.RESUME,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["to_do"].help_text = _("Left empty: “%(text)s”") % {
            "text": notices.DEFAULT_TO_DO
        }
        self.fields["not_to_do"].help_text = _("Left empty: “%(text)s”") % {
            "text": notices.DEFAULT_NOT_TO_DO
        }
        self.fields["end_day"].help_text = dates.day_hint()
        self.fields["end_time"].help_text = dates.time_hint()

    def clean_spokespeople(self) -> list[int]:
        emails = sorted(
            {line.strip().lower() for line in self.cleaned_data["spokespeople"].splitlines()} - {""}
        )
        if len(emails) > MAX_SPOKESPEOPLE:
            raise forms.ValidationError(
                _("At most %(count)d spokespeople.") % {"count": MAX_SPOKESPEOPLE}
            )
        found = dict(
            Person.objects.filter(
                organisation=self.organisation, email__in=emails, anonymised_at__isnull=True
            )
            .exclude(employment_status="left")
            .values_list("email", "pk")
        )
        found = {email.lower(): pk for email, pk in found.items()}
        unknown = [email for email in emails if email not in found]
        if unknown:
            raise forms.ValidationError(
                _("Nobody of your organisation has this e-mail: %(emails)s.")
                % {"emails": ", ".join(unknown[:10])}
            )
        return sorted(found[email] for email in emails)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, moment = data.get("end_day", ""), data.get("end_time", "")
        if not day or not moment:
            return data
        parsed_day, parsed_time = dates.parse_day(day), dates.parse_time(moment)
        if parsed_day is None:
            self.add_error("end_day", _("Write the date as %(hint)s.") % {"hint": dates.day_hint()})
        if parsed_time is None:
            self.add_error(
                "end_time", _("Write the time as %(hint)s.") % {"hint": dates.time_hint()}
            )
        if parsed_day is not None and parsed_time is not None:
            data["ends_at"] = timezone.make_aware(
                datetime.combine(parsed_day, parsed_time), timezone.get_current_timezone()
            )
        return data


class UpdateForm(CrisisForm):
    """A running crisis: its name and what becomes of the posts at its start are kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["name"]
        del self.fields["at_start"]


def initial_of(crisis: Any) -> dict[str, Any]:
    ends = timezone.localtime(crisis.ends_at)
    return {
        "description": crisis.description,
        "to_do": crisis.to_do,
        "not_to_do": crisis.not_to_do,
        "end_day": ends.strftime("%d/%m/%Y"),  # dd/mm/yyyy in both languages (dates.py)
        "end_time": ends.strftime("%H:%M"),
        "spokespeople": "\n".join(person.email for person in crisis.exempt.all()),
        "at_end": crisis.at_end,
    }
