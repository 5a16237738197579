"""The helpdesk models moved here from the enrollment app: the tables are kept
(``db_table``), so only Django's state moves (nothing is done to the database
that enrollment's migrations built); a fresh database gets the tables from
those migrations."""

from django.db import migrations, models


APP = 'helpdesk'
MOVED = ['helpdeskaccess', 'enrollmentreminder']


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
                    name='HelpdeskAccess',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ],
                    options={
                        'verbose_name': 'helpdesk',
                        'verbose_name_plural': 'helpdesk',
                        'db_table': 'enrollment_helpdeskaccess',
                        'permissions': [('helpdesk_find_user', 'Kan söka användare och se deras uppgifter'), ('helpdesk_unlock', 'Kan låsa upp konton'), ('helpdesk_verify_caller', 'Kan kontrollera vem som ringer'), ('view_coverage', 'Kan se registreringsgraden')],
                        'managed': False,
                        'default_permissions': (),
                    },
                ),
                migrations.CreateModel(
                    name='EnrollmentReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('user_guid', models.CharField(max_length=36, unique=True, verbose_name='användar-GUID')),
                        ('username', models.CharField(blank=True, max_length=256, verbose_name='användarnamn')),
                        ('sent_at', models.DateTimeField(db_index=True, verbose_name='senast skickad')),
                        ('times_sent', models.PositiveIntegerField(default=0, verbose_name='antal skickade')),
                    ],
                    options={
                        'verbose_name': 'påminnelse om registrering',
                        'verbose_name_plural': 'påminnelser om registrering',
                        'db_table': 'enrollment_enrollmentreminder',
                        'ordering': ['-sent_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(_move_content_types, _restore_content_types),
    ]
