"""The console's person pages: create, detail, edit, roles, invitation, departure,
HR notes, personal-data export and erasure, and the departments and sites."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.accounts import actions as account_actions
from ambassade.core.authz import Actor, allowed, require
from ambassade.core.forms import add_action_errors
from ambassade.people import actions
from ambassade.people.forms import (
    DepartmentForm,
    HrNoteForm,
    PersonForm,
    RolesForm,
    SiteForm,
)
from ambassade.people.models import (
    AccountInvitation,
    Department,
    HrNote,
    Person,
    SelfAssessment,
    Site,
)
from ambassade.people.signals import ways_in


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def person_of(actor: Actor, person_id: int) -> Person:
    """A person of the actor's organisation; anything else is a 404."""
    return get_object_or_404(
        Person.objects.select_related("department", "site", "manager", "user", "organisation"),
        organisation=actor.organisation,
        pk=person_id,
    )


@require("people.manage")
def create_person(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = PersonForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.create_person(actor, form.action_data())
        except ValidationError as error:
            add_action_errors(form, error, {"manager": "manager_email"})
        else:
            messages.success(request, _("%s was added.") % person.full_name)
            return redirect("people:person", person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@require("people.view")
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    person = person_of(actor, person_id)
    assignments = list(person.role_assignments.all())
    roles = sorted(assignment.role for assignment in assignments)
    can_roles = allowed(actor, "roles.manage")
    is_hr = allowed(actor, "hr.notes")
    context = {
        "person": person,
        "assignments": assignments,
        "roles_form": RolesForm(initial={"roles": roles}) if can_roles else None,
        "can_manage": allowed(actor, "people.manage"),
        "can_manage_data": allowed(actor, "personal_data.manage"),
        "is_hr": is_hr,
        "may_report": allowed(actor, "contributions.report"),
        "second_factor": (
            Authenticator.objects.filter(user_id=person.user_id).exists()
            if person.user_id and allowed(actor, "two_factor.reset")
            else None
        ),
        "pending_invitation": AccountInvitation.objects.filter(
            person=person,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).first()
        if person.user_id is None
        else None,
        "program_ways_in": ways_in(person) if person.user_id is None else [],
        "assessment": SelfAssessment.objects.filter(person=person).first() if is_hr else None,
        "notes_count": HrNote.objects.filter(person=person).count() if is_hr else None,
        "reports_count": person.reports.count(),
    }
    return render(request, "people/person_detail.html", context)


@require("people.manage")
def edit_person(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    person = person_of(actor, person_id)
    form = PersonForm(
        request.POST or None,
        organisation=actor.organisation,
        initial=PersonForm.initial_for(person),
        partner=person.is_partner,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_person(actor, person, form.action_data())
        except ValidationError as error:
            add_action_errors(form, error, {"manager": "manager_email"})
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("people:person", person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@require_POST
@require("roles.manage")
def set_roles(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    person = person_of(actor, person_id)
    form = RolesForm(request.POST)
    if form.is_valid():
        try:
            actions.set_roles(actor, person, form.cleaned_data["roles"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The roles are saved."))
    else:
        messages.error(request, _("Choose roles from the list."))
    return redirect("people:person", person.pk)


@require_POST
@require("people.manage")
def invite(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    person = person_of(actor, person_id)
    try:
        actions.invite_to_sign_in(actor, person)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("An invitation to sign in was sent to %s.") % person.email)
    return redirect("people:person", person.pk)


@require("hr.notes")
def hr_notes(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    person = person_of(actor, person_id)
    form = HrNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_hr_note(actor, person, form.cleaned_data["text"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The note is saved."))
            return redirect("people:hr_notes", person.pk)
    notes = HrNote.objects.filter(person=person)
    return render(request, "people/hr_notes.html", {"person": person, "notes": notes, "form": form})


@require("personal_data.manage")
def export_data(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    person = person_of(actor, person_id)
    return zip_response(actions.export_personal_data(actor, person), person)


def zip_response(content: bytes, person: Person) -> HttpResponse:
    response = HttpResponse(content, content_type="application/zip")
    name = f"personal-data-{person.organisation.slug}-{person.pk}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require("personal_data.manage")
def erase(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    person = person_of(actor, person_id)
    if request.method == "POST" and person.anonymised_at is None:
        if request.POST.get("confirm") != "erase":
            messages.error(request, _("Tick the box to confirm the erasure."))
        else:
            try:
                actions.anonymise_person(actor, person, reason="erasure")
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The person's data was erased."))
                return redirect("people:person", person.pk)
    return render(request, "people/erase.html", {"person": person})


@require("people.manage")
def structure(request: HttpRequest) -> HttpResponse:
    """Departments and sites: the lists, and a form to add each."""
    actor = _actor(request)
    kind = request.POST.get("kind")
    department_form = DepartmentForm(request.POST if kind == "department" else None)
    site_form = SiteForm(request.POST if kind == "site" else None)
    form = department_form if kind == "department" else site_form
    if request.method == "POST" and kind in {"department", "site"} and form.is_valid():
        try:
            if kind == "department":
                created: Department | Site = actions.create_department(
                    actor, form.cleaned_data["name"]
                )
            else:
                created = actions.create_site(
                    actor, form.cleaned_data["name"], form.cleaned_data["country"]
                )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("“%s” was added.") % created.name)
            return redirect("people:structure")
    return render(
        request,
        "people/structure.html",
        {
            "department_form": department_form,
            "site_form": site_form,
            "departments": Department.objects.filter(organisation=actor.organisation).annotate(
                headcount=Count("people")
            ),
            "sites": Site.objects.filter(organisation=actor.organisation).annotate(
                headcount=Count("people")
            ),
        },
    )


@require_POST
@require("two_factor.reset")
def reset_second_factor(request: HttpRequest, person_id: int) -> HttpResponse:
    """A lost phone: the person signs in with their password and enrols again."""
    actor = _actor(request)
    person = person_of(actor, person_id)
    if person.user is None:
        messages.error(request, _("This person has no account yet."))
    else:
        account_actions.reset_second_factor(actor, person.user)
        messages.success(request, _("The second factor is removed; they will enrol again."))
    return redirect("people:person", person.pk)
