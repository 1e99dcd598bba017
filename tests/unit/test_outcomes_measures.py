"""Proven-reoffending measures (OUT-1, PBR-2) from person and offence records: the follow-up
year, the six-month waiting period, frequency, time to first reoffence and custody, by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from commissioning_analytics.outcomes.io import InputError
from commissioning_analytics.outcomes.measures import add_measures, headline_measures

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


# The reference table of the proven-reoffending definition (OUT-1, issue 17 item 1): every edge
# case the definition has, one person each, with the three headline measures worked by hand.
REFERENCE_PEOPLE = """person_id,index_date,censor_date
P1,2024-01-10,
P2,2024-02-29,
P3,2023-06-01,
P4,2024-05-15,
P5,2024-04-01,2024-08-01
P6,2024-03-20,
"""
REFERENCE_OFFENCES = """person_id,offence_date,disposal_date,disposal_type
P1,2023-12-20,2024-02-15,caution
P1,2024-01-10,2024-03-01,fine
P1,2024-03-05,2024-04-01,fine
P1,2024-03-05,2024-04-01,custody
P1,2024-06-01,2025-07-11,community_order
P1,2024-09-01,2025-07-10,suspended_sentence
P2,2025-02-28,2025-08-28,caution
P2,2025-03-01,2025-03-02,fine
P3,2024-02-29,2024-03-10,reprimand
P5,2024-10-01,2024-11-01,fine
P6,2024-05-01,2024-05-01,penalty_notice
"""


def test_reference_table_of_the_proven_reoffending_definition(tmp_path: Path) -> None:
    measured = add_measures(*_files(tmp_path, REFERENCE_PEOPLE, REFERENCE_OFFENCES))
    frame = measured.frame.set_index("person_id")
    columns = ["reoffended", "reoffences", "days_to_first", "first_event", "custodial"]
    by_person = {pid: frame.loc[pid, columns].tolist() for pid in frame.index}
    # P1 (index 10 Jan 2024; proven by 10 Jul 2025): the offence of 20 Dec 2023 is before the
    # index date (disposed after it: still not counted); the one on the index date does not
    # count; two offences on 5 Mar count twice (55 days: 21 + 29 in the leap February + 5);
    # 1 Jun was disposed a day after the waiting period (not counted); 1 Sep on its last day.
    assert by_person["P1"] == [1, 3, 55, 1, 1]
    # P2 (index on the leap day): the year ends on 28 Feb 2025 and the waiting period on 28 Aug
    # 2025; a caution on both last days counts, 1 Mar 2025 is outside the year.
    assert by_person["P2"] == [1, 1, 365, 1, 0]
    # P3: an offence on 29 Feb 2024, inside the year, proven by a reprimand (young people).
    assert by_person["P3"] == [1, 1, 273, 1, 0]
    # P4: no offences: censored at the end of the year.
    assert by_person["P4"] == [0, 0, 365, 0, 0]
    # P5: deported on 1 Aug 2024 (the censoring rule): observed for 122 days, censored there;
    # an offence recorded after the censor date is not counted.
    assert by_person["P5"] == [0, 0, 122, 0, 0]
    # P6: a penalty notice is not a conviction or caution: recorded, not counted.
    assert by_person["P6"] == [0, 0, 365, 0, 0]

    headline = measured.headline()
    assert headline.people == 6
    assert headline.reoffenders == 3
    assert headline.rate == pytest.approx(3 / 6)  # 50% reoffended
    assert headline.frequency_per_100 == pytest.approx(100 * 5 / 6)  # 83.3 reoffences per 100
    assert headline.days_to_first == pytest.approx((55 + 365 + 273) / 3)  # 231 days
    assert headline_measures([0, 0], [0, 0], [365, 365]).days_to_first is None


def test_a_censor_date_before_the_index_date_is_refused(tmp_path: Path) -> None:
    people = REFERENCE_PEOPLE.replace("2024-04-01,2024-08-01", "2024-04-01,2024-03-31")
    with pytest.raises(InputError) as error:
        add_measures(*_files(tmp_path, people, REFERENCE_OFFENCES))
    assert str(error.value) == (
        "people.csv: row 6: the censor date (death or deportation) is before the index date"
    )


@pytest.mark.parametrize(
    ("people", "offences", "message"),
    [
        (PEOPLE.replace("2024-06-30", "30/06/2024"), OFFENCES, "people.csv: row 5: column "
         "'index_date' has '30/06/2024', which is not a YYYY-MM-DD date"),
        (PEOPLE + "A,2024-01-01,20\n", OFFENCES, "people.csv: row 6: person_id 'A' appears twice"),
        (PEOPLE, OFFENCES.replace("caution", "verbal advice"), "offences.csv: row 3: column "
         "'disposal_type' has 'verbal advice'"),
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
