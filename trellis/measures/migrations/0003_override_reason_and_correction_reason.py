import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import trellis.lib.crypto


def give_each_override_an_id(apps, schema_editor):
    ScheduleOverride = apps.get_model("measures", "ScheduleOverride")
    for override in ScheduleOverride.objects.filter(public_id__isnull=True):
        override.public_id = uuid.uuid4()
        override.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0002_encrypt_answers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="correction_reason",
            field=trellis.lib.crypto.EncryptedTextField(blank=True),
        ),
        migrations.AddField(
            model_name="scheduleoverride",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_override_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="scheduleoverride",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(
            model_name="scheduleoverride",
            name="reason",
            field=trellis.lib.crypto.EncryptedTextField(blank=True),
        ),
        migrations.AddField(
            model_name="scheduleoverride",
            name="set_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="scheduleoverride",
            name="set_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
