#!/usr/bin/env bash
# `make peers-env`: the separate virtual environment .venv-peers in which `make bench` runs the
# peer libraries (causalml) it compares the outcome matching with (bench/peers.py). They are never
# dependencies of the project.
#
# requirements/peers.txt pins every package that goes in; all are installed with --no-deps, so
# causalml's heavy dependencies (xgboost, lightgbm, shap, matplotlib, ...) stay out: its match
# module needs only numpy, pandas and scikit-learn. Idempotent: nothing is done when the stamp
# (the SHA-256 of requirements/peers.txt) matches. Exit status is non-zero when it cannot be built.
set -euo pipefail
# The Makefile exports PYTHONPATH=src for the project's own commands. .venv-peers must not see it:
# `pip install -e .` leaves src/commissioning.egg-info there, so `pip check` would take the
# project for installed without its dependencies and refuse the environment (bench/peers.py runs
# its worker without PYTHONPATH too).
unset PYTHONPATH

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$repo/.venv-peers"
requirements="$repo/requirements/peers.txt"
stamp="$venv/.requirements.sha256"
python=${PYTHON:-python3}

wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  echo "peers-env: .venv-peers is up to date"
  exit 0
fi

echo "peers-env: building .venv-peers from requirements/peers.txt with $("$python" --version 2>&1)"
SECONDS=0
rm -rf "$venv"
"$python" -m venv "$venv"
# (pip's own status survives the filter of this machine's index warnings: pipefail.)
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
  -r "$requirements" 2>&1 | { grep -v "^WARNING: Location" || true; }
# The pins must be complete for what the comparison imports; only causalml's own (deliberately
# left out) dependencies may be missing.
problems=$("$venv/bin/python" -m pip check 2>&1 | grep -v "^causalml " | grep -v "^No broken" || true)
if [ -n "$problems" ]; then
  echo "peers-env: requirements/peers.txt is incomplete:" >&2
  echo "$problems" >&2
  exit 1
fi
"$venv/bin/python" -c "from causalml.match import NearestNeighborMatch" || {
  echo "peers-env: causalml.match does not import: is requirements/peers.txt complete?" >&2
  exit 1
}
echo "$wanted" >"$stamp"
echo "peers-env: built in ${SECONDS} s"
