"""The OCDS extensions our releases declare, and where their files live offline.

Each release package names the *canonical* URL of every extension it uses (LAW-1, LAW-2): the
``extension.json`` on raw.githubusercontent.com that Find a Tender and the OCDS extension registry
use. ``ocdsextensionregistry`` does not follow an extension's ``dependencies``, so every package
declares the UK extension *and* all the extensions it lists as dependencies (it patches
definitions they introduce, e.g. ``Location``), plus lots (tender lots), metrics (contract KPIs,
LAW-4), enquiries (published clarification questions and answers, PRO-4) and submission terms
(the lots extension gives ``Lot.submissionTerms`` a ``$ref`` to the ``SubmissionTerms`` that only
the submissionTerms extension defines; declared, every reference in the schema resolves). One
fixed list keeps every package's header identical, as on Find a Tender.

For validation, :mod:`commissioning.opendata.ocds.validate` maps these URLs onto the copies
in ``../shared/data/ocds/extensions/<folder>/`` so nothing is fetched from the network.
"""

from __future__ import annotations

import os
from pathlib import Path

_OCDS_EXT = "https://raw.githubusercontent.com/open-contracting-extensions"

LOTS = f"{_OCDS_EXT}/ocds_lots_extension/master/extension.json"
SUITABILITY = f"{_OCDS_EXT}/ocds_suitability_extension/master/extension.json"
# The UK extension depends on the bid extension at the v1.1.5 tag; use the same URL.
BID = f"{_OCDS_EXT}/ocds_bid_extension/v1.1.5/extension.json"
SUBCONTRACTING = f"{_OCDS_EXT}/ocds_subcontracting_extension/master/extension.json"
AWARD_CRITERIA = f"{_OCDS_EXT}/ocds_awardCriteria_extension/master/extension.json"
METRICS = f"{_OCDS_EXT}/ocds_metrics_extension/master/extension.json"
COMMUNICATION = f"{_OCDS_EXT}/ocds_communication_extension/master/extension.json"
LOCATION = f"{_OCDS_EXT}/ocds_location_extension/master/extension.json"
OTHER_REQUIREMENTS = f"{_OCDS_EXT}/ocds_otherRequirements_extension/master/extension.json"
PERFORMANCE_FAILURES = f"{_OCDS_EXT}/ocds_performance_failures_extension/master/extension.json"
TECHNIQUES = f"{_OCDS_EXT}/ocds_techniques_extension/master/extension.json"
ENQUIRY = f"{_OCDS_EXT}/ocds_enquiry_extension/master/extension.json"
SUBMISSION_TERMS = f"{_OCDS_EXT}/ocds_submissionTerms_extension/master/extension.json"
UK = "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json"

#: Canonical extension.json URL -> folder name under ``shared/data/ocds/extensions``.
EXTENSION_FOLDERS: dict[str, str] = {
    LOTS: "ocds_lots_extension",
    SUITABILITY: "ocds_suitability_extension",
    BID: "ocds_bid_extension",
    SUBCONTRACTING: "ocds_subcontracting_extension",
    AWARD_CRITERIA: "ocds_awardCriteria_extension",
    METRICS: "ocds_metrics_extension",
    COMMUNICATION: "ocds_communication_extension",
    LOCATION: "ocds_location_extension",
    OTHER_REQUIREMENTS: "ocds_otherRequirements_extension",
    PERFORMANCE_FAILURES: "ocds_performance_failures_extension",
    TECHNIQUES: "ocds_techniques_extension",
    ENQUIRY: "ocds_enquiry_extension",
    SUBMISSION_TERMS: "ocds_submissionTerms_extension",
    UK: "ocds_uk_extension",
}

#: The order in which extensions are listed in a package (deterministic output).
EXTENSION_ORDER: tuple[str, ...] = tuple(EXTENSION_FOLDERS)

STANDARD_ZIP_NAME = "standard-1__1__5-schema.zip"


def shared_dir() -> Path:
    """Return the ``shared/`` folder that sits beside the repository.

    ``OCDS_SHARED_DIR`` overrides it (CI clones the repo with ``shared/`` beside it; the file is
    ``<repo>/src/commissioning/opendata/ocds/extensions.py`` so ``parents[4]`` is the repo root).
    """
    override = os.environ.get("OCDS_SHARED_DIR")
    if override:
        return Path(override).resolve()
    return (Path(__file__).resolve().parents[4] / ".." / "shared").resolve()


def ocds_data_dir() -> Path:
    return shared_dir() / "data" / "ocds"


def standard_zip_path() -> Path:
    return ocds_data_dir() / STANDARD_ZIP_NAME


def extension_base_dir(url: str) -> Path:
    """Local folder holding the files of the extension whose canonical URL is ``url``."""
    return ocds_data_dir() / "extensions" / EXTENSION_FOLDERS[url]


def declared_extensions() -> list[str]:
    """The ``extensions`` array of every package we publish."""
    return list(EXTENSION_ORDER)
