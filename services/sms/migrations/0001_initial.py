"""The sms models moved here from the enrollment app: the tables are kept
(``db_table``), so only Django's state moves (nothing is done to the database
that enrollment's migrations built); a fresh database gets the tables from
those migrations."""

import django.utils.timezone
import uuid
from django.db import migrations, models


APP = 'sms'
MOVED = ['smschallenge']


def _move_content_types(apps, schema_editor):
    """Keep the content types (and so the permissions granted on them) of the
    models that moved here from the enrollment app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=APP, model=model).exists():
            ContentType.objects.filter(app_label="enrollment", model=model).update(app_label=APP)


def _restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="enrollment", model=model).exists():
            ContentType.objects.filter(app_label=APP, model=model).update(app_label="enrollment")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('enrollment', '0004_bankid_order'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SmsChallenge',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('purpose', models.CharField(max_length=64, verbose_name='syfte')),
                        ('user_guid', models.CharField(blank=True, db_index=True, max_length=36, verbose_name='användar-GUID')),
                        ('username', models.CharField(blank=True, max_length=256, verbose_name='användarnamn')),
                        ('binding_hash', models.CharField(max_length=64)),
                        ('decoy', models.BooleanField(default=False)),
                        ('phone_protected', models.TextField(blank=True)),
                        ('display', models.CharField(max_length=32, verbose_name='nummer (maskerat)')),
                        ('language', models.CharField(default='sv', max_length=8)),
                        ('code_hash', models.CharField(max_length=64)),
                        ('generation', models.PositiveIntegerField(default=1)),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='felaktiga försök')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='skapad')),
                        ('code_sent_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='kod begärd')),
                        ('expires_at', models.DateTimeField(verbose_name='går ut')),
                        ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='använd')),
                        ('send_state', models.CharField(choices=[('queued', 'Köad'), ('sending', 'Skickas'), ('sent', 'Skickad'), ('failed', 'Misslyckades')], default='queued', max_length=16, verbose_name='sändning')),
                        ('send_permanent', models.BooleanField(default=False)),
                        ('send_error', models.CharField(blank=True, max_length=32)),
                        ('provider_id', models.CharField(blank=True, max_length=128)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        'verbose_name': 'sms-kod',
                        'verbose_name_plural': 'sms-koder',
                        'db_table': 'enrollment_smschallenge',
                        'indexes': [models.Index(fields=['created_at'], name='enrollment__created_1d63bf_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_move_content_types, _restore_content_types),
    ]
