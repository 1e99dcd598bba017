from typing import Any

from django.apps import AppConfig
from django.core import checks


class StandardsConfig(AppConfig):
    name = "commissioning.standards"
    label = "standards"
    verbose_name = "National standards"

    def ready(self) -> None:
        checks.register(standards_file_check)


def standards_file_check(**kwargs: Any) -> list[checks.CheckMessage]:
    """The deployment's standards file is read and checked when the platform starts (MKT-3)."""
    from django.conf import settings

    from commissioning.standards.rules import StandardsFileError, load

    try:
        load(getattr(settings, "NATIONAL_STANDARDS_FILE", None))
    except (OSError, ValueError, StandardsFileError) as error:
        return [checks.Error(f"NATIONAL_STANDARDS_FILE: {error}", id="standards.E001")]
    return []
