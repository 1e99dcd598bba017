"""Reading person-level CSV files (OUT-1): values as numbers, every problem as one line
naming the file, the row and the column; exact-matching strata shared between files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from commissioning_analytics.outcomes.evaluation import strata_codes
from commissioning_analytics.outcomes.io import InputError, read_people


def _file(tmp_path: Path, text: str, name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_numbers_and_text_are_read_with_spaces_quotes_and_a_byte_order_mark(
    tmp_path: Path,
) -> None:
    path = _file(tmp_path, '\ufeffid,age,area,out\nA, 31,"North East",1\nB,"42.5", Wales ,0\n')
    table = read_people(path, ["age", "out"], ["area"])
    assert table.rows == 2
    assert table.numbers["age"].tolist() == [31.0, 42.5]
    assert table.numbers["out"].dtype == np.float64
    assert table.text["area"].tolist() == ["North East", "Wales"]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("inf", "row 3: column 'age' has 'inf', which is not a number"),
        ("NA", "row 3: column 'age' has 'NA', which is not a number"),
        ("1,000", "row 3: column 'age' has '1,000', which is not a number"),
        ("", "row 3: column 'age' is empty"),
    ],
)
def test_a_bad_value_names_its_row_and_column(tmp_path: Path, cell: str, message: str) -> None:
    quoted = f'"{cell}"' if "," in cell else cell
    path = _file(tmp_path, f"age,out\n30,1\n{quoted},0\n")
    with pytest.raises(InputError) as error:
        read_people(path, ["age", "out"])
    assert str(error.value) == f"people.csv: {message}"


def test_missing_column_lists_the_columns_there_are(tmp_path: Path) -> None:
    path = _file(tmp_path, "age,out\n30,1\n")
    with pytest.raises(InputError, match=r"people.csv: no column 'sex' \(it has: age, out\)"):
        read_people(path, ["age"], ["sex"])


def test_empty_and_missing_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the file is empty"):
        read_people(_file(tmp_path, ""), ["age"])
    with pytest.raises(InputError, match="no such file"):
        read_people(tmp_path / "absent.csv", ["age"])


def test_strata_codes_are_shared_between_cohort_and_pool(tmp_path: Path) -> None:
    cohort = read_people(
        _file(tmp_path, "sex,area,x\nF,N,1\nM,N,2\nF,S,3\n", "c.csv"), ["x"], ["sex", "area"]
    )
    pool = read_people(
        _file(tmp_path, "sex,area,x\nF,S,1\nF,N,2\nM,S,3\n", "p.csv"), ["x"], ["sex", "area"]
    )
    t_codes, c_codes = strata_codes(cohort, pool, ["sex", "area"])
    assert t_codes is not None and c_codes is not None
    cohort_keys = list(zip(cohort.text["sex"], cohort.text["area"], strict=True))
    pool_keys = list(zip(pool.text["sex"], pool.text["area"], strict=True))
    for i, key_t in enumerate(cohort_keys):
        for j, key_c in enumerate(pool_keys):
            assert (t_codes[i] == c_codes[j]) == (key_t == key_c)
    assert strata_codes(cohort, pool, []) == (None, None)
