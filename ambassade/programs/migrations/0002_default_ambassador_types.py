"""Gives every existing organisation the six standard ambassador types.

New organisations get them from a post_save receiver (programs.receivers).
"""

from django.db import migrations

# Frozen copy of the defaults at the time of this migration (actions.DEFAULT_TYPES may evolve).
DEFAULTS = {
    "community_manager": {"counts_in_evaluation": True, "may_contact": True},
    "mission": {"counts_in_evaluation": True, "may_contact": True},
    "designated": {"counts_in_evaluation": False, "may_contact": True},
    "supporter": {"counts_in_evaluation": False, "may_contact": True},
    "de_facto": {"counts_in_evaluation": False, "may_contact": False},
    "alumni": {"counts_in_evaluation": False, "may_contact": True},
}


def create_defaults(apps, schema_editor):
    Organisation = apps.get_model("core", "Organisation")
    AmbassadorType = apps.get_model("programs", "AmbassadorType")
    for organisation in Organisation.objects.all():
        existing = set(
            AmbassadorType.objects.filter(organisation=organisation).values_list("kind", flat=True)
        )
        AmbassadorType.objects.bulk_create(
            [
                AmbassadorType(organisation=organisation, kind=kind, **values)
                for kind, values in DEFAULTS.items()
                if kind not in existing
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_programs_charters_enrolments")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
