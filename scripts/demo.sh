#!/usr/bin/env bash
# `make demo`: migrate, load the synthetic demo market and the demo users, then serve
# http://127.0.0.1:8000 with the background task worker running beside the web server.
# Safe to run again: the load replaces the synthetic data loaded before and resets the demo users.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
export PYTHONPATH="$repo/src${PYTHONPATH:+:$PYTHONPATH}"
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-commissioning.settings}
# The demo pseudonymises referred people with the public development key (docs/referrals.md).
export REFERRAL_PSEUDONYM_ALLOW_DEV_KEY=${REFERRAL_PSEUDONYM_ALLOW_DEV_KEY:-1}
export OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY=${OUTCOMES_PSEUDONYM_ALLOW_DEV_KEY:-1}
PY="$repo/.venv/bin/python"
HOST=127.0.0.1
PORT=${PORT:-8000}
URL="http://$HOST:$PORT"

if [ ! -x "$PY" ]; then
  echo "No virtual environment at .venv: run 'make install' (or 'make demo') first." >&2
  exit 1
fi

# The settings are the production ones (docs/deployment.md); the local demo says explicitly what
# it changes. It seals bids with the fixed, public development key (ADR 0006, docs/keys.md):
# never set BID_SEALING_ALLOW_DEV_KEY in production.
export BID_SEALING_ALLOW_DEV_KEY=${BID_SEALING_ALLOW_DEV_KEY:-1}
# Plain http on 127.0.0.1: no redirect to https, no HSTS, cookies not limited to https.
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0}
export SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
export SECURE_COOKIES=${SECURE_COOKIES:-0}
export SITE_URL=${SITE_URL:-$URL}
# The demo's own secret key, made once and kept in var/ (never committed), so that sign-ins
# survive a restart.
mkdir -p "$repo/var"
if [ -z "${SECRET_KEY:-}" ]; then
  key_file="$repo/var/demo-secret-key"
  if [ ! -s "$key_file" ]; then
    (umask 077 && "$PY" -c "import secrets; print(secrets.token_urlsafe(50))" >"$key_file")
  fi
  SECRET_KEY=$(cat "$key_file")
  export SECRET_KEY
fi

# STATIC_ROOT need not hold anything (WhiteNoise serves from the finders) but must exist.
mkdir -p "$repo/var/staticfiles"

if ! "$PY" -c "import socket, sys; s = socket.socket(); s.bind(('$HOST', $PORT)); s.close()" 2>/dev/null; then
  echo "Port $PORT on $HOST is already in use: stop whatever is using it, or run PORT=8001 $0." >&2
  exit 1
fi

echo "==> Preparing the database"
"$PY" -m commissioning.manage migrate --no-input -v 0

echo "==> Loading the synthetic demo market (seed 2026, scale 1) and the demo users"
"$PY" -m commissioning.manage load_demo_market --seed 2026 --scale 1 --replace --with-users

# The data steward's national extract (docs/outcomes-extracts.md): a synthetic one, loaded once,
# so that the steward has a version and providers can start a study by identifier with the
# cohort file var/demo-extract/extract_cohort.csv. Nobody in it is real.
if ! "$PY" -m commissioning.manage shell -c "from commissioning.outcomes_web.models import NationalExtract; raise SystemExit(0 if NationalExtract.objects.exists() else 1)" >/dev/null 2>&1; then
  echo "==> Loading a synthetic national extract for the data steward"
  "$PY" -m commissioning.cli outcomes synthetic-extract "$repo/var/demo-extract" --seed 2026 --people 20000 --cohort 300 >/dev/null
  "$PY" -m commissioning.cli outcomes load-extract "$repo/var/demo-extract/extract_people.csv" \
    "$repo/var/demo-extract/extract_offences.csv" --identifiers pnc_id --steward steward
fi

worker_pid=""
stop_worker() {
  if [ -n "$worker_pid" ] && kill -0 "$worker_pid" 2>/dev/null; then
    kill "$worker_pid" 2>/dev/null || true
    wait "$worker_pid" 2>/dev/null || true
  fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "==> Starting the background task worker"
"$PY" -m commissioning.manage db_worker &
worker_pid=$!

cat <<EOF

  The demo is running at  $URL
  Sign in with one of the usernames above and the demo password (demo only).
  Press Ctrl-C to stop the server and the worker.

EOF

"$repo/.venv/bin/waitress-serve" --listen="$HOST:$PORT" commissioning.wsgi:application
