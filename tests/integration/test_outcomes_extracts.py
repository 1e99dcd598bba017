"""The data steward's national extract and cohorts uploaded by identifier (issue 17 items 1-4;
OUT-1, OUT-4, PBR-2): versions, who may see them, pseudonyms on arrival, measures computed from
the extract's offences, and no raw identifier anywhere in the database or the logs."""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.cli import main
from commissioning.outcomes_web import extracts
from commissioning.outcomes_web.models import NationalExtract, OutcomeStudy
from commissioning.outcomes_web.pseudonyms import pseudonyms
from commissioning_analytics.outcomes.measures import add_measures
from commissioning_analytics.outcomes_synthetic.extract import SyntheticExtract, generate_extract
from commissioning_analytics.outcomes_synthetic.writers import write_csv
from tests.factories import OrganisationFactory, UserFactory, client_for, member_of

pytestmark = pytest.mark.django_db

EXTRACT_SIZE = 3_000
COHORT_SIZE = 200
UNKNOWN = 5
COVARIATES = ["age", "female", "prior_offences", "prior_custodial", "ogrs_score"]


@dataclass(frozen=True)
class ExtractFiles:
    drawn: SyntheticExtract
    people: Path
    offences: Path
    cohort: Path


@pytest.fixture(scope="module")
def extract_files(tmp_path_factory: pytest.TempPathFactory) -> ExtractFiles:
    folder = tmp_path_factory.mktemp("extract")
    drawn = generate_extract(17, EXTRACT_SIZE, COHORT_SIZE, unknown=UNKNOWN)
    paths = {name: folder / f"{name}.csv" for name in ("people", "offences", "cohort")}
    for name, path in paths.items():
        write_csv(getattr(drawn, name), path)
    return ExtractFiles(drawn, paths["people"], paths["offences"], paths["cohort"])


@pytest.fixture(autouse=True)
def _extract_dir(settings: Any, tmp_path: Path) -> None:
    settings.OUTCOMES_EXTRACT_DIR = tmp_path / "extracts"


@pytest.fixture
def steward() -> User:
    return UserFactory(username="steward-one", role=User.Role.STEWARD)


def _load(steward: User, files: ExtractFiles) -> NationalExtract:
    return extracts.load_extract(steward, files.people, files.offences, ["pnc_id"])


def _upload(client: Client, files: ExtractFiles, capture: Any, **overrides: Any) -> Any:
    data = {
        "title": "Resettlement by identifier",
        "cohort_file": SimpleUploadedFile("cohort.csv", files.cohort.read_bytes(), "text/csv"),
        "outcome": "reoffended",
        "covariates": COVARIATES,
        "replace": "yes",
        "ratio": "1",
        "caliper": "0.2",
        **overrides,
    }
    with capture(execute=True):
        return client.post(reverse("outcomes:upload-identifiers"), data)


def test_each_load_is_a_new_version_with_its_counts_and_content_hash(
    steward: User, extract_files: ExtractFiles
) -> None:
    first = _load(steward, extract_files)
    second = _load(steward, extract_files)

    assert (first.version, second.version) == (1, 2)
    assert first.people_rows == EXTRACT_SIZE
    assert first.offence_rows == len(extract_files.drawn.offences)
    expected = hashlib.sha256(
        extract_files.people.read_bytes() + extract_files.offences.read_bytes()
    ).hexdigest()
    assert first.content_hash == second.content_hash == expected
    assert first.loaded_by == steward and first.identifier_columns == ["pnc_id"]
    assert "ogrs_score" in first.covariates and "sex" in first.text_columns
    assert extracts.current_extract() == second

    extracts.retire_extract(steward, second.pk)
    assert extracts.current_extract() == first
    with pytest.raises(extracts.RetireError, match="Version 2 is already retired"):
        extracts.retire_extract(steward, second.pk)


def test_a_cohort_by_identifier_is_measured_from_the_extract_and_records_its_version(
    client: Client,
    steward: User,
    extract_files: ExtractFiles,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _load(steward, extract_files)
    second = _load(steward, extract_files)
    provider = OrganisationFactory(name="Northern Resettlement Trust")
    client.force_login(member_of(provider))

    response = _upload(client, extract_files, django_capture_on_commit_callbacks)

    study = OutcomeStudy.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert study.status == OutcomeStudy.Status.DONE, study.error
    assert study.extract == second
    pool_info = study.result["comparison_pool"]
    assert pool_info["extract_version"] == 2 and pool_info["synthetic"] is False
    assert pool_info["cohort_found"] == COHORT_SIZE
    assert pool_info["cohort_not_found"] == UNKNOWN
    assert pool_info["size"] == EXTRACT_SIZE - COHORT_SIZE
    assert study.result["n_treated"] == COHORT_SIZE

    # The cohort's reoffending rate is the published measure computed from the raw files.
    raw = extract_files.drawn
    found = raw.people[raw.people["pnc_id"].isin(raw.cohort["pnc_id"])]
    people, offences = io.StringIO(), io.StringIO()
    write_csv(found.rename(columns={"pnc_id": "person_id"}), people)
    write_csv(raw.offences.rename(columns={"pnc_id": "person_id"}), offences)
    folder = Path(str(extracts.extract_dir()))
    (folder / "p.csv").write_text(people.getvalue())
    (folder / "o.csv").write_text(offences.getvalue())
    expected = add_measures(folder / "p.csv", folder / "o.csv").frame["reoffended"].mean()
    assert study.result["treated_mean"] == pytest.approx(expected, abs=1e-12)

    page = client.get(reverse("outcomes:detail", args=[study.pk])).content.decode()
    assert "national extract of offence records, version 2" in page.lower()
    assert "5 people not found" in page

    extracts.retire_extract(steward, second.pk)
    _upload(client, extract_files, django_capture_on_commit_callbacks, title="Second")
    assert OutcomeStudy.objects.get(title="Second").extract.version == 1


def test_no_raw_identifier_is_stored_or_logged(
    client: Client,
    settings: Any,
    steward: User,
    extract_files: ExtractFiles,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Keep the cohort after the study (a retention period), so a raw cohort would be found."""
    settings.OUTCOME_COHORT_RETENTION_DAYS = 30
    caplog.set_level(logging.DEBUG)
    _load(steward, extract_files)
    client.force_login(member_of(OrganisationFactory()))
    _upload(client, extract_files, django_capture_on_commit_callbacks)
    study = OutcomeStudy.objects.get()
    assert study.status == OutcomeStudy.Status.DONE, study.error
    assert study.cohort_csv.startswith("person_id,index_date\n")

    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    database = dump.getvalue().upper()
    # Every byte of every stored file of the version (its compact form: .npy arrays, manifest).
    files = [path for path in extracts.extract_dir().rglob("*") if path.is_file()]
    stored = "".join(path.read_bytes().decode("latin-1").upper() for path in files)
    identifiers = extract_files.drawn.cohort["pnc_id"].tolist()
    assert len(identifiers) == COHORT_SIZE + UNKNOWN
    logs = caplog.text.upper()
    assert [i for i in identifiers if i in database] == []
    assert [i for i in identifiers if i in logs] == []
    assert [i for i in identifiers if i in stored] == []
    held = extracts.loaded_extract(NationalExtract.objects.get()).ids.ordered
    assert held.size == EXTRACT_SIZE and all(p.decode().upper() in stored for p in held[:50])


def test_errors_name_rows_never_identifiers(
    client: Client,
    steward: User,
    extract_files: ExtractFiles,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    people = extract_files.drawn.people.copy()
    people.loc[9, "pnc_id"] = people.loc[3, "pnc_id"]
    repeated = tmp_path / "people.csv"
    write_csv(people, repeated)
    with pytest.raises(extracts.ExtractError) as raised:
        extracts.load_extract(steward, repeated, extract_files.offences, ["pnc_id"])
    assert str(raised.value) == "people file: rows 5 and 11 are the same person"
    assert NationalExtract.objects.count() == 0

    _load(steward, extract_files)
    client.force_login(member_of(OrganisationFactory()))
    cohort = extract_files.drawn.cohort.copy()
    cohort.loc[6, "pnc_id"] = ""
    text = cohort.to_csv(index=False, lineterminator="\n").encode()
    response = _upload(
        client,
        extract_files,
        django_capture_on_commit_callbacks,
        cohort_file=SimpleUploadedFile("cohort.csv", text, "text/csv"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "cohort.csv: row 8: column &#x27;pnc_id&#x27; is empty" in page
    assert cohort.loc[7, "pnc_id"] not in page
    assert OutcomeStudy.objects.count() == 0


def test_a_cohort_mostly_outside_the_extract_is_refused_with_a_count(
    client: Client,
    steward: User,
    extract_files: ExtractFiles,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _load(steward, extract_files)
    client.force_login(member_of(OrganisationFactory()))
    cohort = generate_extract(17, EXTRACT_SIZE, 40, unknown=30).cohort
    path = tmp_path / "small.csv"
    write_csv(cohort, path)
    files = ExtractFiles(extract_files.drawn, extract_files.people, extract_files.offences, path)
    _upload(client, files, django_capture_on_commit_callbacks)
    study = OutcomeStudy.objects.get()
    assert study.status == OutcomeStudy.Status.FAILED
    assert "40" in study.error and "60" in study.error


@pytest.mark.parametrize("role", ["provider", "commissioner", "admin", "evaluator"])
def test_only_data_stewards_see_or_load_the_extract(
    role: str, steward: User, extract_files: ExtractFiles
) -> None:
    extract = _load(steward, extract_files)
    organisation = OrganisationFactory()
    user = member_of(organisation, role=role)
    if role == "admin":
        user.is_staff = user.is_superuser = True
        user.save()
    pages = [
        reverse("outcomes:extracts"),
        reverse("outcomes:extract-load"),
        reverse("outcomes:extract-retire", args=[extract.pk]),
    ]
    client = client_for(user)
    for url in pages:
        assert client.get(url).status_code == 403, url
    assert client.post(pages[2]).status_code == 403
    assert NationalExtract.objects.get().retired_at is None
    anonymous = Client()
    assert anonymous.get(pages[0]).status_code == 302

    own = client_for(steward)
    listing = own.get(pages[0])
    assert listing.status_code == 200
    assert "3,000 people" in listing.content.decode()
    assert own.get(pages[1]).status_code == 200


def test_the_steward_loads_and_retires_in_the_browser_forms(
    steward: User, extract_files: ExtractFiles
) -> None:
    client = client_for(steward)
    response = client.post(
        reverse("outcomes:extract-load"),
        {
            "people_file": SimpleUploadedFile("p.csv", extract_files.people.read_bytes()),
            "offences_file": SimpleUploadedFile("o.csv", extract_files.offences.read_bytes()),
            "identifier_columns": "pnc_id",
        },
    )
    assert response.status_code == 302
    extract = NationalExtract.objects.get()
    assert extract.version == 1 and extract.loaded_by == steward

    bad = client.post(
        reverse("outcomes:extract-load"),
        {
            "people_file": SimpleUploadedFile("p.csv", extract_files.people.read_bytes()),
            "offences_file": SimpleUploadedFile("o.csv", extract_files.offences.read_bytes()),
            "identifier_columns": "case_number",
        },
    )
    assert bad.status_code == 400
    assert "people file: no identifier column &#x27;case_number&#x27;" in bad.content.decode()
    assert NationalExtract.objects.count() == 1

    assert client.post(reverse("outcomes:extract-retire", args=[extract.pk])).status_code == 302
    extract.refresh_from_db()
    assert extract.is_retired and extract.retired_by == steward


def test_the_command_line_loads_a_version_for_a_steward(
    steward: User, extract_files: ExtractFiles, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["outcomes", "load-extract", str(extract_files.people), str(extract_files.offences)]
    assert main([*args, "--identifiers", "pnc_id", "--steward", steward.username]) == 0
    out = capsys.readouterr().out
    assert "National extract version 1 loaded: 3,000 people" in out
    assert NationalExtract.objects.get().loaded_by == steward

    provider = UserFactory(username="not-a-steward")
    assert main([*args, "--identifiers", "pnc_id", "--steward", provider.username]) == 1
    assert "'not-a-steward' is not an active data steward" in capsys.readouterr().err
    assert NationalExtract.objects.count() == 1


def test_a_date_of_birth_becomes_age_and_is_not_kept(steward: User, tmp_path: Path) -> None:
    drawn = generate_extract(3, 400, 60)
    people = drawn.people.drop(columns=["age"])
    people["date_of_birth"] = "1990-06-15"
    path = tmp_path / "people.csv"
    write_csv(people, path)
    offences = tmp_path / "offences.csv"
    write_csv(drawn.offences, offences)
    extract = extracts.load_extract(steward, path, offences, ["pnc_id"])
    stored = extracts.loaded_extract(extract)
    assert "date_of_birth" not in [*stored.numbers, *stored.text]
    assert "age" in extract.covariates
    first = pd.Timestamp(drawn.people["index_date"].iloc[0])
    expected = first.year - 1990 - (1 if (first.month, first.day) < (6, 15) else 0)
    assert stored.numbers["age"][0] == expected
    files = list(extracts.stored_path(extract).iterdir())
    assert not any(b"1990-06-15" in p.read_bytes() for p in files)


def test_production_settings_refuse_to_start_without_the_pseudonym_key() -> None:
    from tests.integration.test_production_settings import (
        START,
        _sealing_key,
        _secret_key,
        run_with_production_settings,
    )

    keys = {"SECRET_KEY": _secret_key(), "BID_SEALING_KEY": _sealing_key()}
    refused = run_with_production_settings(START, OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY="0", **keys)
    assert refused.returncode != 0
    assert "ImproperlyConfigured: OUTCOMES_PSEUDONYM_KEY is not set" in refused.stderr
    short = run_with_production_settings(START, OUTCOMES_PSEUDONYM_KEY="too-short", **keys)
    assert "OUTCOMES_PSEUDONYM_KEY is too short" in short.stderr
    started = run_with_production_settings(START, OUTCOMES_PSEUDONYM_KEY="k" * 40, **keys)
    assert started.stdout.strip() == "started", started.stderr


def test_the_same_identifier_gives_another_pseudonym_under_another_key(settings: Any) -> None:
    from commissioning.outcomes_web.pseudonyms import pseudonyms

    settings.OUTCOMES_PSEUDONYM_KEY = "one-secret-" + "x" * 30
    first = pseudonyms(["SYNPNC0000001"])
    settings.OUTCOMES_PSEUDONYM_KEY = "another-secret-" + "x" * 30
    assert pseudonyms(["SYNPNC0000001"]) != first
    assert len(first[0]) == 64 and "SYNPNC" not in first[0]


def test_a_bad_offence_is_named_by_the_stewards_row(
    steward: User, extract_files: ExtractFiles, tmp_path: Path
) -> None:
    """Rows of people the extract does not hold stay in place, so row numbers are the file's."""
    offences = extract_files.drawn.offences.copy()
    stranger = offences.iloc[[0]].assign(pnc_id="SYNPNX9999999")
    offences = pd.concat([stranger, offences], ignore_index=True).astype(str)
    offences.loc[20, "disposal_type"] = "community service"
    path = tmp_path / "offences.csv"
    write_csv(offences, path)
    with pytest.raises(extracts.ExtractError) as raised:
        extracts.load_extract(steward, extract_files.people, path, ["pnc_id"])
    assert str(raised.value).startswith(
        "offences file: row 22: column 'disposal_type' has 'community service'"
    )
    assert "SYN" not in str(raised.value)


def test_a_version_stored_before_the_compact_form_is_still_read(
    steward: User, extract_files: ExtractFiles
) -> None:
    """Issue 17 speed item 2 (OUT-1): a version stored as two gzip CSV files (before the compact
    form) gives the same people and measures as one stored compact."""
    extract = _load(steward, extract_files)
    compact = extracts.loaded_extract(extract)
    assert extracts.is_compact(extract)
    # The same version as the earlier layout stored it: pseudonyms in place of identifiers.
    raw = extract_files.drawn
    pseudonym = dict(zip(raw.people["pnc_id"], pseudonyms(raw.people["pnc_id"]), strict=True))
    people = raw.people.drop(columns=["pnc_id"])
    people.insert(0, "person_id", raw.people["pnc_id"].map(pseudonym))
    offences = raw.offences.drop(columns=["pnc_id"])
    offences.insert(0, "person_id", raw.offences["pnc_id"].map(pseudonym).fillna(""))
    folder = extracts.extract_dir()
    people.to_csv(folder / "v1-old-people.csv.gz", index=False)
    offences.to_csv(folder / "v1-old-offences.csv.gz", index=False)
    NationalExtract.objects.filter(pk=extract.pk).update(
        people_file="v1-old-people.csv.gz", offences_file="v1-old-offences.csv.gz"
    )
    extracts._LOADED.clear()
    old = extracts.loaded_extract(NationalExtract.objects.get(pk=extract.pk))

    assert old.rows == compact.rows == EXTRACT_SIZE
    rows = old.positions(people["person_id"].to_numpy()[::7])
    assert rows.tolist() == compact.positions(people["person_id"].to_numpy()[::7]).tolist()
    assert old.measures_for(rows).reoffences.tolist() == (
        compact.measures_for(rows).reoffences.tolist()
    )
    assert old.measures_for(rows).reoffended.sum() > 0
    assert old.numbers["ogrs_score"].tolist() == compact.numbers["ogrs_score"].tolist()


def test_the_load_checks_in_memory_and_never_reads_the_stored_files_back(
    steward: User, extract_files: ExtractFiles, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17 speed item 1 (OUT-1): the version is checked from the frames already read and
    stored once, each file hashed while written; nothing stored is read back to check it."""
    from commissioning_analytics.outcomes import extract as core

    def read_back(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the stored files were read back")

    monkeypatch.setattr(core, "load_extract", read_back)
    monkeypatch.setattr(core, "open_compact", read_back)
    extract = _load(steward, extract_files)

    folder = extracts.stored_path(extract)
    core.verify_compact(folder)  # every file's hash, taken while writing, matches its bytes
    manifest = (folder / core.MANIFEST).read_bytes()
    assert extract.people_rows == EXTRACT_SIZE and b'"rows": 3000' in manifest
