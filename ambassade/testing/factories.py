"""factory_boy factories for tests (shipped with the package so every app's tests share them)."""

from __future__ import annotations

from typing import Any

import factory

from ambassade.accounts.models import User
from ambassade.core.models import Organisation
from ambassade.people.models import Department, Person, RoleAssignment, Site


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Site {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password("correct horse battery staple")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    job_title = "Engineer"
    languages = factory.LazyFunction(lambda: ["fr", "en"])

    @classmethod
    def _create(cls, model_class: type[Person], *args: Any, **kwargs: Any) -> Person:
        roles = kwargs.pop("roles", [])
        with_user = kwargs.pop("with_user", False)
        if with_user and "user" not in kwargs:
            kwargs["user"] = UserFactory(email=kwargs["email"])
        person: Person = super()._create(model_class, *args, **kwargs)
        for role in roles:
            RoleAssignment.objects.create(person=person, role=role)
        return person
