import uuid

from django.db import migrations, models


def give_each_shift_an_id(apps, schema_editor):
    ProgramOnCall = apps.get_model("worklist", "ProgramOnCall")
    for shift in ProgramOnCall.objects.filter(public_id__isnull=True):
        shift.public_id = uuid.uuid4()
        shift.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("worklist", "0003_encrypt_follow_up_note"),
    ]

    operations = [
        migrations.AddField(
            model_name="programoncall",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_shift_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="programoncall",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
