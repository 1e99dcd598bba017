"""Proven-reoffending measures (OUT-1, PBR-2) from person and offence records: the follow-up
year, the six-month waiting period, frequency, time to first reoffence and custody, by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from commissioning_analytics.outcomes.io import InputError
from commissioning_analytics.outcomes.measures import add_measures

PEOPLE = """person_id,index_date,age
A,2024-01-10,30
B,2024-02-29,41
C,2024-03-01,25
D,2024-06-30,19
"""
OFFENCES = """person_id,offence_date,disposal_date,disposal_type
A,2024-01-10,2024-02-01,fine
A,2024-03-01,2024-05-01,caution
A,2024-02-01,2025-07-10,custody
A,2024-04-01,2025-07-11,fine
B,2025-02-28,2025-03-10,community_order
B,2025-03-01,2025-03-10,custody
C,2025-03-01,2025-09-01,CUSTODY
Z,2024-05-01,2024-06-01,fine
"""


def _files(tmp_path: Path, people: str = PEOPLE, offences: str = OFFENCES) -> tuple[Path, Path]:
    p, o = tmp_path / "people.csv", tmp_path / "offences.csv"
    p.write_text(people)
    o.write_text(offences)
    return p, o


def test_measures_by_hand(tmp_path: Path) -> None:
    frame = add_measures(*_files(tmp_path)).frame.set_index("person_id")
    # A: the offence on the index date does not count; 1 Mar and 1 Feb count (the latter proven
    # on 10 Jul 2025, inside the six months after 10 Jan 2025); 1 Apr was proven a day too late.
    assert frame.loc["A", "reoffences"] == 2
    assert frame.loc["A", "days_to_first"] == 22  # 10 Jan → 1 Feb 2024
    assert frame.loc["A", "custodial"] == 1
    # B: index 29 Feb 2024, follow-up ends 28 Feb 2025: the 1 Mar offence is outside it.
    assert frame.loc["B", "reoffences"] == 1
    assert frame.loc["B", "days_to_first"] == 365
    assert frame.loc["B", "custodial"] == 0
    # C: offence on the last day of the follow-up year, proven on the last waiting day.
    assert (frame.loc["C", "reoffended"], frame.loc["C", "first_event"]) == (1, 1)
    assert frame.loc["C", "custodial"] == 1
    # D: no offences: censored at the end of the follow-up year (30 Jun 2025).
    assert frame.loc["D", ["reoffended", "reoffences", "first_event", "custodial"]].tolist() == [
        0,
        0,
        0,
        0,
    ]
    assert frame.loc["D", "days_to_first"] == 365
    assert frame.loc["A", "age"] == "30"  # other columns are kept as they are


def test_measured_file_feeds_the_evaluation(tmp_path: Path) -> None:
    out = tmp_path / "measured.csv"
    add_measures(*_files(tmp_path)).to_csv(out)
    header = out.read_text().splitlines()[0]
    assert header == (
        "person_id,index_date,age,reoffended,reoffences,days_to_first,first_event,custodial"
    )


@pytest.mark.parametrize(
    ("people", "offences", "message"),
    [
        (PEOPLE.replace("2024-06-30", "30/06/2024"), OFFENCES, "people.csv: row 5: column "
         "'index_date' has '30/06/2024', which is not a YYYY-MM-DD date"),
        (PEOPLE + "A,2024-01-01,20\n", OFFENCES, "people.csv: row 6: person_id 'A' appears twice"),
        (PEOPLE, OFFENCES.replace("caution", "warning"), "offences.csv: row 3: column "
         "'disposal_type' has 'warning'"),
        (PEOPLE, OFFENCES.replace("2024-05-01,caution", "2024-02-01,caution"),
         "offences.csv: row 3: the disposal date is before the offence date"),
        (PEOPLE.replace("index_date", "start"), OFFENCES, "people.csv: no column 'index_date'"),
        (PEOPLE, OFFENCES.replace("2024-02-01,fine", ",fine", 1),
         "offences.csv: row 2: column 'disposal_date' is empty"),
    ],
)  # fmt: skip
def test_bad_records_name_the_file_row_and_column(
    tmp_path: Path, people: str, offences: str, message: str
) -> None:
    with pytest.raises(InputError) as error:
        add_measures(*_files(tmp_path, people, offences))
    assert str(error.value).startswith(message)
