"""The bankid models moved here from the enrollment app: the tables are kept
(``db_table``), so only Django's state moves (nothing is done to the database
that enrollment's migrations built); a fresh database gets the tables from
those migrations."""

import uuid
from django.db import migrations, models


APP = 'bankid'
MOVED = ['bankidorder']


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
                    name='BankIDOrder',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('purpose', models.CharField(choices=[('enroll', 'Registrering'), ('verify', 'Identifiering'), ('helpdesk', 'Kontroll av den som ringer')], max_length=16)),
                        ('user_guid', models.CharField(blank=True, db_index=True, max_length=36)),
                        ('username', models.CharField(blank=True, max_length=256)),
                        ('session_key', models.CharField(db_index=True, max_length=64)),
                        ('flow_id', models.CharField(blank=True, max_length=64)),
                        ('order_ref', models.CharField(max_length=64, unique=True)),
                        ('auto_start_token', models.CharField(blank=True, max_length=64)),
                        ('qr_start_token', models.CharField(blank=True, max_length=64)),
                        ('qr_secret', models.TextField(blank=True)),
                        ('started_at', models.FloatField()),
                        ('end_user_ip', models.GenericIPAddressField(blank=True, null=True)),
                        ('expected_hash', models.CharField(blank=True, max_length=64)),
                        ('status', models.CharField(choices=[('pending', 'Väntar'), ('complete', 'Klar'), ('failed', 'Misslyckades'), ('error', 'Fel'), ('cancelled', 'Avbruten'), ('expired', 'Utgången')], db_index=True, default='pending', max_length=16)),
                        ('hint_code', models.CharField(blank=True, max_length=64)),
                        ('error_code', models.CharField(blank=True, max_length=64)),
                        ('outcome', models.CharField(blank=True, choices=[('', '-'), ('enrolled', 'Registrerad'), ('verified', 'Identifierad'), ('mismatch', 'Fel person'), ('directory_mismatch', 'Stämmer inte med katalogen'), ('already_enrolled', 'Redan registrerad av någon annan')], max_length=32)),
                        ('result_name', models.CharField(blank=True, max_length=256)),
                        ('collect_token', models.CharField(blank=True, max_length=32)),
                        ('last_collect_at', models.FloatField(blank=True, null=True)),
                        ('collect_count', models.PositiveIntegerField(default=0)),
                        ('error_count', models.PositiveIntegerField(default=0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        'verbose_name': 'BankID-order',
                        'verbose_name_plural': 'BankID-ordrar',
                        'db_table': 'enrollment_bankidorder',
                        'indexes': [models.Index(fields=['status', 'created_at'], name='enrollment__status_48b24d_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_move_content_types, _restore_content_types),
    ]
