from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_registration_queue_checkin_reminders_feeds"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="waitlist_enabled",
            field=models.BooleanField(
                default=True,
                help_text="When the meeting is full, further people go on a waiting list and move up when a seat is freed.",
                verbose_name="waiting list",
            ),
        ),
    ]
