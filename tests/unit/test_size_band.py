"""Size bands by income (MKT-1): the boundaries are inclusive at the lower end."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning_analytics.market.size import SizeBand, size_band, size_bands


@pytest.mark.parametrize(
    ("income", "band"),
    [
        (0, SizeBand.MICRO),
        (Decimal("9999.99"), SizeBand.MICRO),
        (10_000, SizeBand.SMALL),
        (99_999, SizeBand.SMALL),
        (100_000, SizeBand.MEDIUM),
        (Decimal("499999.99"), SizeBand.MEDIUM),
        (999_999, SizeBand.MEDIUM),
        (1_000_000, SizeBand.LARGE),
        (10_000_000, SizeBand.MAJOR),
        (250_000_000, SizeBand.MAJOR),
    ],
)
def test_size_band_boundaries(income: Decimal | int, band: SizeBand) -> None:
    assert size_band(income) is band


def test_negative_income_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        size_band(-1)
    with pytest.raises(ValueError, match="cannot be negative"):
        size_bands([5, -1])


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=50))
def test_vectorised_bands_agree_with_scalar(incomes: list[int]) -> None:
    assert list(size_bands(np.array(incomes))) == [size_band(i).value for i in incomes]


def test_labels_name_the_income_range() -> None:
    assert SizeBand.SMALL.label == "Small (£10,000 to £100,000)"
