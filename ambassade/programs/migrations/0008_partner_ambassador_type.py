"""Gives every existing organisation the partner ambassador type (independent sellers,
distributors: people.Membership.PARTNER). New organisations get it from
programs.actions.ensure_default_types.
"""

from django.db import migrations

# Frozen copy of the defaults at the time of this migration (actions.DEFAULT_TYPES may evolve).
PARTNER = {"counts_in_evaluation": False, "may_contact": True}


def create_partner_type(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    AmbassadorType = apps.get_model("programs", "AmbassadorType")
    having = set(AmbassadorType.objects.filter(kind="partner").values_list("organisation_id", flat=True))
    AmbassadorType.objects.bulk_create(
        [
            AmbassadorType(organisation=organisation, kind="partner", **PARTNER)
            for organisation in Organisation.objects.exclude(pk__in=having)
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("programs", "0007_partner_kind")]

    operations = [migrations.RunPython(create_partner_type, migrations.RunPython.noop)]
