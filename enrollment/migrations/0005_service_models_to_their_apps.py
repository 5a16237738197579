"""The SMS, BankID and helpdesk models moved to their own apps (sms, bankid,
helpdesk) with their tables: only Django's state changes here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('enrollment', '0004_bankid_order'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='BankIDOrder',
                ),
                migrations.DeleteModel(
                    name='EnrollmentReminder',
                ),
                migrations.DeleteModel(
                    name='SmsChallenge',
                ),
                migrations.DeleteModel(
                    name='HelpdeskAccess',
                ),
            ],
            database_operations=[],
        ),
    ]
