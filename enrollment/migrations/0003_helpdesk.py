# The helpdesk's permissions (no table) and the enrollment reminders' log.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0002_smschallenge"),
    ]

    operations = [
        migrations.CreateModel(
            name="HelpdeskAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
            options={
                "verbose_name": "helpdesk",
                "verbose_name_plural": "helpdesk",
                "permissions": [
                    ("helpdesk_find_user", "Kan söka användare och se deras uppgifter"),
                    ("helpdesk_unlock", "Kan låsa upp konton"),
                    ("helpdesk_verify_caller", "Kan kontrollera vem som ringer"),
                    ("view_coverage", "Kan se registreringsgraden"),
                ],
                "managed": False,
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="EnrollmentReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "user_guid",
                    models.CharField(max_length=36, unique=True, verbose_name="användar-GUID"),
                ),
                (
                    "username",
                    models.CharField(blank=True, max_length=256, verbose_name="användarnamn"),
                ),
                ("sent_at", models.DateTimeField(db_index=True, verbose_name="senast skickad")),
                (
                    "times_sent",
                    models.PositiveIntegerField(default=0, verbose_name="antal skickade"),
                ),
            ],
            options={
                "verbose_name": "påminnelse om registrering",
                "verbose_name_plural": "påminnelser om registrering",
                "ordering": ["-sent_at"],
            },
        ),
    ]
