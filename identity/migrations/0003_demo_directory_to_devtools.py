"""The demo directory's users moved to the devtools app (a development tool),
with their table: only Django's state changes here. Without devtools (the
product) the table, unused, stays as it was."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('identity', '0002_throttle'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='DemoDirectoryUser',
                ),
            ],
            database_operations=[],
        ),
    ]
