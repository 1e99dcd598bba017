"""``commissioning payments validate | calculate | simulate`` (issue 5; PBR-1 .. PBR-6): every
shipped example validates, calculates with its observed data and simulates; bad input gets a
clear message naming the file or field and a non-zero exit; no Django anywhere on the path."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from commissioning.cli import _Parser
from commissioning.cli_payments import register, run
from commissioning_analytics.payments import example_names

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = Path(str(resources.files("commissioning_analytics.payments").joinpath("examples")))


def build_parser() -> argparse.ArgumentParser:
    """The parser as ``commissioning.cli`` builds it, with the payments command registered."""
    parser = _Parser(prog="commissioning")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    register(commands)
    return parser


def cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = run(build_parser().parse_args(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def example(name: str) -> str:
    return str(EXAMPLES / f"{name}.json")


def write(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, "utf-8")
    return str(path)


@pytest.mark.parametrize("name", example_names())
def test_every_example_validates(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(["payments", "validate", example(name)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith(f"valid: {name} (format version 1): ")
    assert "parties" in out and "in the term" in out


def test_validate_summarises_the_mechanism(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["payments", "validate", example("illustrative-supply-chain")], capsys)
    assert code == 0
    assert out.strip() == (
        "valid: illustrative-supply-chain (format version 1): 4 parties, 2 measures, "
        "service fee with a share at risk (withheld), 2 outcome payments, 2 sub-contractors, "
        "24 months in the term"
    )


@pytest.mark.parametrize("name", example_names())
def test_every_example_calculates_in_json(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["payments", "calculate", example(name), example(f"{name}.observed"), "--format", "json"]
    code, out, err = cli(argv, capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["mechanism"] == name and data["conserved"] is True
    assert data["rounding"] == "ROUND_HALF_UP"
    assert data["funders_paid"] == data["chain_received"]
    observed = json.loads((EXAMPLES / f"{name}.observed.json").read_text("utf-8"))
    assert [p["period"] for p in data["periods"]] == [p["period"] for p in observed["periods"]]
    assert data["lines"], "every example pays something"
    for line in data["lines"]:
        assert set(line) == {
            "period",
            "payer",
            "payee",
            "amount",
            "kind",
            "rule",
            "explanation",
            "due",
        }
        assert isinstance(line["amount"], str) and line["amount"].count(".") == 1


def test_doncaster_statement_in_text_shows_the_clawback_totals_and_conservation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["payments", "calculate", example("hmp-doncaster"), example("hmp-doncaster.observed")]
    code, out, _ = cli(argv, capsys)
    assert code == 0
    assert "Period 2: Cohort 2 year (2012-13) (2012-10-01 to 2013-09-30)" in out
    assert "serco-catch22 → moj: £100,000.00 clawback [service_fee.at_risk], due 2013-10-30" in out
    assert "improvement 3.3 percentage points; target 5.0 missed" in out
    assert "target 5.0 met: nothing repaid" in out
    assert "-£1,900,000.00" in out  # the commissioner's net
    assert out.rstrip().endswith(
        "Conservation: funders paid £1,900,000.00, the chain received £1,900,000.00 "
        "(the prime kept £1,900,000.00): conserved"
    )


def test_doncaster_json_totals_per_party_and_period(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["payments", "calculate", example("hmp-doncaster"), example("hmp-doncaster.observed")]
    code, out, _ = cli([*argv, "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["totals"] == [
        {"party": "moj", "received": "100000.00", "paid": "2000000.00", "net": "-1900000.00"},
        {
            "party": "serco-catch22",
            "received": "2000000.00",
            "paid": "100000.00",
            "net": "1900000.00",
        },
    ]
    second = data["periods"][1]
    assert second["label"] == "Cohort 2 year (2012-13)" and second["end"] == "2013-09-30"
    assert {t["party"]: t["net"] for t in second["totals"]}["moj"] == "-900000.00"


@pytest.mark.parametrize("name", example_names())
def test_every_example_simulates(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(["payments", "simulate", example(name), "--paths", "200"], capsys)
    assert (code, err) == (0, "")
    assert f"Working-capital stress test: {name}" in out
    assert "200 paths × " in out and "seed 0" in out
    assert "Assumptions (not in the mechanism; from defaults):" in out
    assert "referrals per month: 100 [assumed (default)]" in out
    assert "(prime)" in out and "P(run out)" in out


def test_simulate_json_has_members_percentiles_and_fan_bands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["payments", "simulate", example("illustrative-supply-chain"), "--paths", "300"]
    code, out, _ = cli([*argv, "--seed", "7", "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert (data["paths"], data["months"], data["seed"]) == (300, 24, 7)
    assert [m["party"] for m in data["members"]] == ["prime", "housing-charity", "womens-centre"]
    for member in data["members"]:
        assert 0 <= member["ruin_probability"] <= 1
        assert set(member["lowest_cash_percentiles"]) == {"10", "50", "90"}
        assert set(member["fan"]) == {"5", "25", "50", "75", "95"}
        assert all(len(band) == 24 for band in member["fan"].values())
        assert member["fan"]["5"][-1] <= member["fan"]["95"][-1]
    assumptions = data["assumptions"]
    assert assumptions["source"] == "defaults"
    assert assumptions["contract"]["outcome_rate"] == {"value": 0.5, "from": "assumed (default)"}
    assert assumptions["members"][1]["inputs"]["management_fee_share"]["from"] == "mechanism"
    assert assumptions["not_modelled"]


def test_simulate_is_reproducible_with_a_seed(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["payments", "simulate", example("work-programme-jsa-18-24"), "--paths", "300"]
    first = cli([*argv, "--seed", "5", "--format", "json"], capsys)[1]
    again = cli([*argv, "--seed", "5", "--format", "json"], capsys)[1]
    other = cli([*argv, "--seed", "6", "--format", "json"], capsys)[1]
    assert first == again
    assert json.loads(first)["members"][0]["fan"] != json.loads(other)["members"][0]["fan"]


def test_simulate_reads_an_assumptions_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "assumptions.json",
        {
            "format_version": 1,
            "mechanism": "hmp-doncaster",
            "referrals_per_month": 80,
            "members": {"serco-catch22": {"reserves": 2_000_000}},
        },
    )
    argv = ["payments", "simulate", example("hmp-doncaster"), "--paths", "200"]
    code, out, _ = cli([*argv, "--assumptions", path], capsys)
    assert code == 0
    assert f"referrals per month: 80 [assumed ({path})]" in out
    assert f"serco-catch22: reserves 2e+06 [assumed ({path})]" in out
    assert "£2,000,000" in out


def test_bad_assumptions_file_lists_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = {"format_version": 1, "mechanism": "other", "outcome_rate": 3}
    path = write(tmp_path, "assumptions.json", document)
    argv = ["payments", "simulate", example("hmp-doncaster"), "--assumptions", path]
    code, out, err = cli(argv, capsys)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"commissioning payments simulate: error: {path} is not a valid assumptions file "
        "(2 problems):",
        "  mechanism: is 'other', not 'hmp-doncaster'",
        "  outcome_rate: must be between 0 and 1",
    ]


def test_missing_file_is_a_bad_argument(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(["payments", "validate", "no-such-mechanism.json"], capsys)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "commissioning payments validate: error: argument MECHANISM.json: "
        "no-such-mechanism.json does not exist (see --help)"
    ]


def test_a_folder_is_not_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(["payments", "validate", str(tmp_path)], capsys)
    assert code == 2 and "is a folder, not a file" in err


def test_invalid_json_names_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "broken.json", '{\n  "id": ,\n}')
    code, out, err = cli(["payments", "validate", path], capsys)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"commissioning payments validate: error: {path} is not a valid payment mechanism "
        "(1 problem):",
        "  (document): is not JSON: line 2 column 9",
    ]


def test_a_file_that_is_not_utf8_text_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"name": "caf\xe9"}')
    code, out, err = cli(["payments", "validate", str(path)], capsys)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"commissioning payments validate: error: cannot read {path}: is not UTF-8 text"
    ]


def test_schema_errors_name_every_field_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads((EXAMPLES / "illustrative-supply-chain.json").read_text("utf-8"))
    document["outcome_payments"][0]["tariff"] = "lots"
    document["supply_chain"][0]["management_fee"] = 0.1
    path = write(tmp_path, "mechanism.json", document)
    observed = example("illustrative-supply-chain.observed")
    code, out, err = cli(["payments", "calculate", path, observed], capsys)
    assert (code, out) == (1, ""), "nothing is computed from a half-valid mechanism"
    lines = err.splitlines()
    assert lines[0].endswith(f"{path} is not a valid payment mechanism (2 problems):")
    assert lines[1].startswith("  outcome_payments[0].tariff: must be a decimal amount")
    assert lines[2].startswith("  supply_chain[0].management_fee: must be a share")


def test_observed_data_for_another_mechanism_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["payments", "calculate", example("hmp-doncaster"), example("peterborough-sib.observed")]
    code, out, err = cli(argv, capsys)
    assert (code, out) == (1, "")
    assert "is not a valid observed data file" in err.splitlines()[0]
    assert "  mechanism: is 'peterborough-sib', not 'hmp-doncaster'" in err.splitlines()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["payments"], "required: SUBCOMMAND"),
        (["payments", "refund"], "invalid choice: 'refund'"),
        (["payments", "simulate", "M", "--paths", "0"], "paths must be from 1 to 100,000"),
        (["payments", "simulate", "M", "--paths", "ten"], "paths must be a whole number"),
        (["payments", "simulate", "M", "--seed", "-1"], "seed must be zero or more"),
        (["payments", "calculate", "M", "O", "--format", "xml"], "invalid choice: 'xml'"),
        (["payments", "calculate", "M"], "required: OBSERVED.json"),
    ],
)
def test_bad_arguments_get_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [example("hmp-doncaster") if a in ("M", "O") else a for a in argv]
    code, out, err = cli(argv, capsys)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and message in err


def test_the_payments_commands_do_not_need_django() -> None:
    code = (
        "import sys\n"
        "from commissioning.cli import _Parser\n"
        "from commissioning.cli_payments import register, run\n"
        "assert 'commissioning_analytics.payments' not in sys.modules, 'imported eagerly'\n"
        "parser = _Parser(prog='commissioning')\n"
        "commands = parser.add_subparsers(dest='command', parser_class=_Parser)\n"
        "register(commands)\n"
        f"folder = {str(EXAMPLES)!r}\n"
        "for argv in (['validate', folder + '/peterborough-sib.json'],\n"
        "             ['calculate', folder + '/peterborough-sib.json',\n"
        "              folder + '/peterborough-sib.observed.json'],\n"
        "             ['simulate', folder + '/peterborough-sib.json', '--paths', '50']):\n"
        "    assert run(parser.parse_args(['payments', *argv])) == 0\n"
        "print('django loaded' if 'django' in sys.modules else 'no django')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert result.stdout.strip().endswith("no django")
