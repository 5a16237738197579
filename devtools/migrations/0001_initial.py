"""The demo directory's users moved here from the identity app with their table
(``db_table``): only Django's state moves; identity's 0001 built the table."""

from django.db import migrations, models


def _move_content_types(apps, schema_editor):
    """Keep the content type of the model that moved here from the identity app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="devtools", model="demodirectoryuser").exists():
        ContentType.objects.filter(app_label="identity", model="demodirectoryuser").update(
            app_label="devtools"
        )


def _restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="identity", model="demodirectoryuser").exists():
        ContentType.objects.filter(app_label="devtools", model="demodirectoryuser").update(
            app_label="identity"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('identity', '0003_demo_directory_to_devtools'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='DemoDirectoryUser',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('guid', models.CharField(max_length=36, unique=True)),
                        ('username', models.CharField(max_length=64, unique=True)),
                        ('upn', models.CharField(blank=True, max_length=256)),
                        ('display_name', models.CharField(blank=True, max_length=256)),
                        ('given_name', models.CharField(blank=True, max_length=128)),
                        ('mail', models.CharField(blank=True, max_length=256)),
                        ('mobile', models.CharField(blank=True, max_length=64)),
                        ('ou', models.CharField(blank=True, max_length=256)),
                        ('groups', models.JSONField(blank=True, default=list)),
                        ('extra', models.JSONField(blank=True, default=dict)),
                        ('password_hash', models.CharField(max_length=256)),
                        ('password_history', models.JSONField(blank=True, default=list)),
                        ('password_last_set', models.DateTimeField(blank=True, null=True)),
                        ('must_change_password', models.BooleanField(default=False)),
                        ('disabled', models.BooleanField(default=False)),
                        ('bad_password_count', models.PositiveIntegerField(default=0)),
                        ('locked_at', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        'verbose_name': 'demokatalogens användare',
                        'verbose_name_plural': 'demokatalogens användare',
                        'db_table': 'identity_demodirectoryuser',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_move_content_types, _restore_content_types),
    ]
