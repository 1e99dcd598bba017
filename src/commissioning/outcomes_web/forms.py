"""The cohort upload form (OUT-1, OUT-4): parses the options and validates the file with the
analytics core, so every problem (missing column, the row and column of a bad value, a cohort
under 60) is shown next to the file field and in the error summary."""

from __future__ import annotations

from typing import Any

from django import forms

from commissioning.exercises.models import CommissioningExercise
from commissioning.idempotency import SubmissionKeyForm
from commissioning.kernel.forms import GovUKForm
from commissioning.outcomes_web import extracts, pool, services
from commissioning.outcomes_web.models import NationalExtract
from commissioning_analytics.outcomes.intermediate import INTERMEDIATE_MEASURES
from commissioning_analytics.outcomes.io import InputError
from commissioning_analytics.outcomes.matching import DEFAULT_CALIPER
from commissioning_analytics.outcomes.safeguards import SafeguardError
from commissioning_analytics.outcomes_synthetic.people import COVARIATES

REPLACE_CHOICES = [("no", "Without replacement"), ("yes", "With replacement")]


def _known(name: str) -> bool:
    return name in pool.NUMERIC_COLUMNS


class ExerciseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference}: {obj.title} ({obj.commissioning_body.name})"


class _StudyForm(GovUKForm, SubmissionKeyForm):
    """What every study asks: a title, an optional exercise, the cohort file and the matching
    options."""

    title = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter a title for the study",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    exercise = ExerciseChoiceField(
        label="Related commissioning exercise (optional)",
        queryset=CommissioningExercise.objects.select_related("commissioning_body").order_by(
            "reference"
        ),
        required=False,
        empty_label="None",
        help_text=(
            "Commissioners of the exercise's commissioning body can see the result before it "
            "is published."
        ),
        error_messages={"invalid_choice": "Select a commissioning exercise from the list"},
    )
    cohort_file = forms.FileField(
        label="Cohort file (CSV)",
        help_text=(
            "One row per person with a header row. The outcome and covariate columns must hold "
            "a number in every row. At least 60 people; at most 5 MB."
        ),
        error_messages={
            "required": "Select a CSV file of your cohort",
            "empty": "The selected file is empty",
        },
    )
    replace = forms.ChoiceField(
        label="Matching",
        choices=REPLACE_CHOICES,
        initial="no",
        widget=forms.RadioSelect,
        error_messages={"required": "Select with or without replacement"},
    )
    ratio = forms.IntegerField(
        label="Comparison people for each cohort member",
        initial=1,
        min_value=1,
        max_value=10,
        error_messages={
            "required": "Enter how many comparison people to match to each cohort member",
            "invalid": "Ratio must be a whole number, like 1 or 3",
            "min_value": "Ratio must be 1 or more",
            "max_value": "Ratio must be 10 or fewer",
        },
    )
    caliper = forms.FloatField(
        label="Caliper (optional)",
        required=False,
        initial=DEFAULT_CALIPER,
        min_value=0.01,
        max_value=10,
        help_text=(
            "In standard deviations of the logit of the propensity score. Leave empty for no "
            "caliper."
        ),
        error_messages={
            "invalid": "Caliper must be a number, like 0.2",
            "min_value": "Caliper must be at least 0.01",
            "max_value": "Caliper must be 10 or less",
        },
    )

    def clean_cohort_file(self) -> Any:
        upload = self.cleaned_data["cohort_file"]
        if upload.size > services.MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB")
        try:
            self.cleaned_data["cohort_csv"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The selected file must be a CSV file in UTF-8") from None
        self.cleaned_data["cohort_filename"] = services.safe_filename(upload.name)
        return upload

    def options_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "caliper": data["caliper"],
            "replace": data["replace"] == "yes",
            "ratio": data["ratio"],
            "cohort_csv": data["cohort_csv"],
            "cohort_filename": data["cohort_filename"],
            "exercise": data.get("exercise"),
            "submission_key": data["submission_key"],
        }


class OutcomeUploadForm(_StudyForm):
    """A cohort that carries its own outcome and covariates, compared with the synthetic pool."""

    field_order = [
        "title",
        "exercise",
        "cohort_file",
        "outcome",
        "covariates",
        "replace",
        "ratio",
        "caliper",
    ]

    outcome = forms.CharField(
        label="Outcome column",
        initial="reoffended",
        max_length=100,
        help_text="For example reoffended (0 or 1), reoffences or custodial.",
        error_messages={"required": "Enter the name of the outcome column"},
    )
    covariates = forms.CharField(
        label="Covariates to match on",
        initial=",".join(COVARIATES),
        max_length=1000,
        help_text="Column names separated by commas.",
        error_messages={"required": "Enter at least one covariate"},
    )

    def clean_outcome(self) -> str:
        outcome = str(self.cleaned_data["outcome"]).strip()
        if not _known(outcome):
            raise forms.ValidationError(
                f"The synthetic comparison pool has no outcome {outcome!r}; use one of: "
                f"{', '.join(pool.NUMERIC_COLUMNS)}"
            )
        return outcome

    def clean_covariates(self) -> list[str]:
        names = [c.strip() for c in str(self.cleaned_data["covariates"]).split(",") if c.strip()]
        if not names:
            raise forms.ValidationError("Enter at least one covariate")
        unknown = [name for name in names if not _known(name)]
        if unknown:
            raise forms.ValidationError(
                f"The synthetic comparison pool has no column {unknown[0]!r}; use some of: "
                f"{', '.join(COVARIATES)}"
            )
        return list(dict.fromkeys(names))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome, covariates = data.get("outcome"), data.get("covariates")
        if outcome and covariates and outcome in covariates:
            self.add_error("covariates", "The outcome column cannot also be a covariate")
            return data
        if "cohort_csv" not in data or not outcome or not covariates:
            return data
        try:
            services.validate_cohort(
                data["cohort_csv"], data["cohort_filename"], outcome, covariates
            )
        except (InputError, SafeguardError) as error:
            self.add_error("cohort_file", str(error))
        return data

    def study_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return self.options_data() | {
            "outcome": data["outcome"],
            "covariates": data["covariates"],
        }


OUTCOME_CHOICES = [
    ("reoffended", "Proven reoffending within one year (yes or no)"),
    ("reoffences", "Number of proven reoffences in the year"),
    ("custodial", "A custodial sentence for a proven reoffence within one year (yes or no)"),
]


class ExtractCohortForm(_StudyForm):
    """A cohort named by the national extract's identifiers and index dates, hashed here, on
    arrival; the outcome is measured from the extract's offences and the covariates come from
    the extract (OUT-1, PBR-2)."""

    field_order = [
        "title",
        "exercise",
        "cohort_file",
        "outcome",
        "covariates",
        "replace",
        "ratio",
        "caliper",
    ]

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=OUTCOME_CHOICES,
        initial="reoffended",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome to compare"},
    )
    covariates = forms.MultipleChoiceField(
        label="Match on",
        widget=forms.CheckboxSelectMultiple,
        help_text="Taken from the national extract.",
        error_messages={
            "required": "Select at least one thing to match on",
            "invalid_choice": "Select only things the national extract holds",
        },
    )

    def __init__(self, *args: Any, extract: NationalExtract, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extract = extract
        columns = ", ".join(extract.identifier_columns)
        self.fields["cohort_file"].help_text = (
            f"One row per person with a header row: {columns} and index_date (the release "
            "from custody, the start of a court order or of your service; or a column "
            "intervention_start), as YYYY-MM-DD. At least 60 people; at most 5 MB. The "
            "identifiers are replaced by pseudonyms as soon as the file arrives."
        )
        covariates = self.fields["covariates"]
        assert isinstance(covariates, forms.MultipleChoiceField)
        # Intermediate outcomes happen after the index date: they are evaluated, never
        # matched on (OUT-3), even when recorded for everyone (and so read as numbers).
        names = [name for name in extract.covariates if name not in INTERMEDIATE_MEASURES]
        covariates.choices = [(name, name) for name in names]
        covariates.initial = names

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "cohort_csv" not in data:
            return data
        raw = data.pop("cohort_csv")
        try:
            data["cohort_csv"], _ = extracts.hash_cohort(
                raw, list(self.extract.identifier_columns), data["cohort_filename"]
            )
        except (extracts.ExtractError, SafeguardError) as error:
            self.add_error("cohort_file", str(error))
        return data

    def study_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return self.options_data() | {
            "outcome": data["outcome"],
            "covariates": list(data["covariates"]),
            "extract": self.extract,
        }


class ExtractLoadForm(GovUKForm):
    """A new version of the national extract, loaded by the data steward (OUT-1)."""

    people_file = forms.FileField(
        label="People file (CSV)",
        help_text=(
            "One row per person: the identifier columns, index_date (YYYY-MM-DD) and the "
            "covariates, such as sex, ethnicity, date_of_birth or age, area, prior offences, "
            "employment and benefit history and assessment scores."
        ),
        error_messages={"required": "Select the people file", "empty": "The people file is empty"},
    )
    offences_file = forms.FileField(
        label="Offences file (CSV)",
        help_text=(
            "One row per proven offence: the identifier columns, offence_date, disposal_date "
            "and disposal_type."
        ),
        error_messages={
            "required": "Select the offences file",
            "empty": "The offences file is empty",
        },
    )
    identifier_columns = forms.CharField(
        label="Identifier columns",
        initial="pnc_id",
        max_length=500,
        help_text=(
            "Column names separated by commas, in both files. They are replaced by pseudonyms "
            "on arrival and never stored."
        ),
        error_messages={"required": "Enter the identifier columns"},
    )

    def clean_identifier_columns(self) -> list[str]:
        names = [c.strip() for c in str(self.cleaned_data["identifier_columns"]).split(",")]
        names = [name for name in names if name]
        if not names:
            raise forms.ValidationError("Enter the identifier columns")
        return list(dict.fromkeys(names))


class UnpublishForm(GovUKForm):
    """Why a published study is withdrawn from the public (OUT-4; issue 17 item 8)."""

    reason = forms.CharField(
        label="Why are you unpublishing this study?",
        help_text="For example, an error found in the uploaded cohort. This is kept in the "
        "audit trail.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why the study is being unpublished",
            "max_length": "The reason must be 2000 characters or fewer",
        },
    )
