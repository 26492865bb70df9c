"""Corrections of a person's points by HR and admins (fraud, a mistake): the person's
ledger and the correction form. A correction is a new, audited entry (ledger.correct);
the person reads it on My points with its reason."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.core import display
from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.people.models import Person
from ambassade.recognition import ledger, points
from ambassade.recognition.models import LedgerEntry

CHOICES_SHOWN = 50  # the entries a correction may point at, the latest first


class CorrectionForm(forms.Form):
    # A whole number here; its limits and the reason's are the action's.
    points = forms.IntegerField(
        label=gettext_lazy("Points to add or take back"),
        help_text=gettext_lazy("Negative to take back, such as -30."),
    )
    note = forms.CharField(
        label=gettext_lazy("Why"),
        help_text=gettext_lazy("The person reads it beside the correction."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    corrects = forms.TypedChoiceField(
        label=gettext_lazy("Entry corrected"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, entries: list[LedgerEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["corrects"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("None: the whole balance"))] + [
            (
                entry.pk,
                f"{formats.date_format(entry.occurred_at, 'SHORT_DATE_FORMAT')} · "
                f"{display.name('entry_reason', entry.reason)} · {entry.points:+d}",
            )
            for entry in entries
        ]


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


@require("recognition.correct")
def find(request: HttpRequest) -> HttpResponse:
    """From the console's recognition page: the person with this work e-mail."""
    email = (request.GET.get("email") or "").strip()
    found = Person.objects.filter(
        organisation=_actor(request).organisation, email__iexact=email
    ).first()
    if found is None:
        messages.error(
            request, _("Nobody in your organisation has the e-mail “%(email)s”.") % {"email": email}
        )
        return redirect("recognition:console")
    return redirect("recognition:person_points", found.pk)


@require("recognition.correct")
def person_points(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    person = get_object_or_404(Person, organisation=actor.organisation, pk=person_id)
    entries = points.entries_of(person)
    choices = list(entries[:CHOICES_SHOWN])
    form = CorrectionForm(request.POST or None, entries=choices)
    if request.method == "POST" and form.is_valid():
        corrects = next((e for e in choices if e.pk == form.cleaned_data["corrects"]), None)
        try:
            ledger.correct(
                actor,
                person,
                form.cleaned_data["points"],
                form.cleaned_data["note"],
                corrects=corrects,
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The correction is in the ledger."))
            return redirect("recognition:person_points", person.pk)
    page = Paginator(entries, points.PAGE_SIZE).get_page(request.GET.get("page"))
    language = translation.get_language() or "en"
    return render(
        request,
        "recognition/person_points.html",
        {
            "person": person,
            "balances": ledger.balances(person),
            "page": page,
            "lines": [points.line_of(entry, language) for entry in page.object_list],
            "form": form,
        },
        status=400 if form.errors else 200,
    )
