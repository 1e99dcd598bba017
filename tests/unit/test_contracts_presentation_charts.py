"""Fan chart geometry (PBR-5): real coordinates from the stress test's percentiles."""

from __future__ import annotations

import numpy as np
import pytest

from commissioning.contracts import charts
from commissioning_analytics.cashflow.stress import MemberStress


def stress(fan: list[list[float]], reserves: float = 100.0, ruin: float = 0.25) -> MemberStress:
    return MemberStress(
        name="charity",
        reserves=reserves,
        ruin_probability=ruin,
        ruin_month_percentiles=(1, 2, 2),
        lowest_cash_percentiles=(-50.0, 0.0, 50.0),
        fan=np.array(fan, dtype=float),
    )


FAN = [
    [50.0, -100.0],  # 5th
    [80.0, 0.0],  # 25th
    [100.0, 50.0],  # median
    [120.0, 100.0],  # 75th
    [150.0, 200.0],  # 95th
]


def point(text: str) -> tuple[float, float]:
    x, y = text.split(",")
    return float(x), float(y)


def test_axes_map_months_and_money_to_the_plot_area() -> None:
    chart = charts.fan_chart(stress(FAN), "Charity")
    # y runs from -100 (bottom) to 200 (top), ticks every £100
    assert chart["zero"] == pytest.approx(
        charts.BOTTOM - (100 / 300) * (charts.BOTTOM - charts.TOP), abs=0.1
    )
    assert [t["label"] for t in chart["y_ticks"]] == ["−£100", "£0", "£100", "£200"]
    assert chart["y_ticks"][0]["at"] == charts.BOTTOM
    assert chart["y_ticks"][-1]["at"] == charts.TOP
    # month 0 (the reserves) at the left edge, month 2 at the right
    assert chart["median"].startswith(f"M {charts.LEFT} ")
    last = chart["median"].split(" L ")[-1].split()
    assert float(last[0]) == charts.RIGHT


def test_bands_go_along_the_upper_percentile_and_back_along_the_lower() -> None:
    chart = charts.fan_chart(stress(FAN), "Charity")
    points = [point(p) for p in chart["outer"].split()]
    assert len(points) == 6  # 3 months (0, 1, 2) up and back
    xs = [x for x, _ in points]
    assert xs[:3] == sorted(xs[:3]) and xs[3:] == sorted(xs[3:], reverse=True)
    # at month 2 the 95th percentile (200) is at the top, the 5th (-100) at the bottom
    assert points[2][1] == charts.TOP
    assert points[3][1] == charts.BOTTOM
    # every band starts at the reserves
    assert points[0] == points[-1]


def test_label_says_what_the_chart_shows() -> None:
    chart = charts.fan_chart(stress(FAN), "Charity")
    assert chart["label"].startswith("Fan chart of Charity's cash over 2 months")
    assert "reserves of £100" in chart["label"]
    assert "25.0% of paths" in chart["label"]


def test_flat_cash_still_has_a_scale() -> None:
    chart = charts.fan_chart(stress([[0.0, 0.0]] * 5, reserves=0.0, ruin=0.0), "Flat")
    assert chart["y_ticks"]
    assert chart["zero"] == charts.BOTTOM


def test_table_has_a_row_per_month_from_the_reserves() -> None:
    rows = charts.fan_table(stress(FAN))
    assert [r["month"] for r in rows] == [0, 1, 2]
    assert rows[0]["values"] == ["£100"] * 5
    assert rows[2]["values"] == ["−£100", "£0", "£50", "£100", "£200"]


@pytest.mark.parametrize(
    ("value", "label"),
    [(0, "£0"), (1_500_000, "£1.5m"), (-250_000, "−£250k"), (2_000_000, "£2m"), (999, "£999")],
)
def test_money_label(value: float, label: str) -> None:
    assert charts.money_label(value) == label
