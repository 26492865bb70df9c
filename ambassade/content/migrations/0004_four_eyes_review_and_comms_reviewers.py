"""Four-eyes review (a program may let authors approve their own items, off by default)
and internal communications among the approvers of every existing program (docs/roles.md)."""

from django.db import migrations, models


def comms_review_by_default(apps, schema_editor):
    ProgramContentPolicy = apps.get_model("content", "ProgramContentPolicy")
    for policy in ProgramContentPolicy.objects.all():
        if "internal_comms" not in policy.reviewer_roles:
            policy.reviewer_roles = sorted([*policy.reviewer_roles, "internal_comms"])
            policy.save(update_fields=["reviewer_roles"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_public_allowed_hosts"),
    ]

    operations = [
        migrations.AddField(
            model_name="programcontentpolicy",
            name="self_approval",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Off by default: someone other than the author approves each item. "
                    "A regulated program always requires another approver."
                ),
                verbose_name="authors may approve their own items",
            ),
        ),
        migrations.RunPython(comms_review_by_default, migrations.RunPython.noop),
    ]
