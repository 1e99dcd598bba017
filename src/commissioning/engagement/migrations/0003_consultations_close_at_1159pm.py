"""Consultations closed at midnight after 11:59pm, which every page read as the next day (issue
11 item 15): move each stored midnight-after back to the 11:59pm it stood for (CYC-2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import migrations

LONDON = ZoneInfo("Europe/London")


def close_at_1159pm(apps: Any, schema_editor: Any) -> None:
    consultation_model = apps.get_model("engagement", "Consultation")
    for consultation in consultation_model.objects.all():
        local = consultation.closes_at.astimezone(LONDON)
        if (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0):
            consultation.closes_at -= timedelta(minutes=1)
            consultation.save(update_fields=["closes_at"])


def back_to_midnight_after(apps: Any, schema_editor: Any) -> None:
    consultation_model = apps.get_model("engagement", "Consultation")
    for consultation in consultation_model.objects.all():
        local = consultation.closes_at.astimezone(LONDON)
        if (local.hour, local.minute, local.second, local.microsecond) == (23, 59, 0, 0):
            consultation.closes_at += timedelta(minutes=1)
            consultation.save(update_fields=["closes_at"])


class Migration(migrations.Migration):
    dependencies = [("engagement", "0002_event_sign_up")]

    operations = [migrations.RunPython(close_at_1159pm, back_to_midnight_after)]
