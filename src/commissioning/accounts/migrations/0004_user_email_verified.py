"""Issue 13 item 3: a self-registered account cannot sign in until it confirms its email address.
Every account that exists already (administrators', the demo's, people registered before) counts
as confirmed: nobody who could sign in yesterday is locked out today."""

from django.db import migrations, models


def confirm_existing_accounts(apps, schema_editor):
    apps.get_model("accounts", "User").objects.update(email_verified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_probation_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified",
            field=models.BooleanField(
                default=True,
                help_text="People who registered themselves cannot sign in until they confirm it.",
                verbose_name="Email address confirmed",
            ),
        ),
        migrations.RunPython(confirm_existing_accounts, migrations.RunPython.noop),
    ]
