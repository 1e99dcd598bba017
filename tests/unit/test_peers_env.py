"""``make peers-env`` (scripts/peers-env.sh) on a fresh clone (issue 11 item 26).

The Makefile exports ``PYTHONPATH=src`` to every recipe. ``pip install -e .`` leaves
``src/commissioning.egg-info`` there, so a ``pip check`` in ``.venv-peers`` that inherits that
path sees the project as installed without its dependencies, the script refuses the environment,
and ``make bench`` prints "peers: skipped". The script must build ``.venv-peers`` whatever
``PYTHONPATH`` the caller exports.

The script runs for real in a scratch copy of the repository layout (a real virtual environment
and a real ``pip check``); only the download is left out: ``requirements/peers.txt`` is empty and
a stand-in ``causalml.match`` is put into the new environment by the ``PYTHON`` it is given.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "peers-env.sh"

EGG_INFO = """\
Metadata-Version: 2.1
Name: commissioning
Version: 0.1.0
Requires-Dist: django
Requires-Dist: numpy
"""

PYTHON_THAT_ADDS_A_STAND_IN_CAUSALML = f"""\
#!/usr/bin/env bash
# As {sys.executable}, but a new virtual environment gets a stand-in causalml.match.
set -eu
if [ "${{1:-}}" = "-m" ] && [ "${{2:-}}" = "venv" ]; then
  "{sys.executable}" -m venv "$3"
  site=$("$3/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  mkdir -p "$site/causalml"
  : >"$site/causalml/__init__.py"
  echo "class NearestNeighborMatch: pass" >"$site/causalml/match.py"
  exit 0
fi
exec "{sys.executable}" "$@"
"""


def _fresh_clone(root: Path) -> Path:
    """The script, an (offline) requirements file and the egg-info ``pip install -e`` leaves."""
    (root / "scripts").mkdir()
    shutil.copy2(SCRIPT, root / "scripts" / "peers-env.sh")
    (root / "requirements").mkdir()
    (root / "requirements" / "peers.txt").write_text("# nothing to download in this test\n")
    egg_info = root / "src" / "commissioning.egg-info"
    egg_info.mkdir(parents=True)
    (egg_info / "PKG-INFO").write_text(EGG_INFO)
    python = root / "python"
    python.write_text(PYTHON_THAT_ADDS_A_STAND_IN_CAUSALML)
    python.chmod(0o755)
    return python


def test_peers_env_builds_with_the_makefiles_pythonpath(tmp_path: Path) -> None:
    python = _fresh_clone(tmp_path)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PIP_", "VIRTUAL_ENV"))
    }
    env |= {"PYTHON": str(python), "PYTHONPATH": str(tmp_path / "src")}  # as the Makefile does

    result = subprocess.run(
        ["bash", str(tmp_path / "scripts" / "peers-env.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    output = result.stdout + result.stderr
    assert "commissioning 0.1.0 requires" not in output
    assert result.returncode == 0, output
    assert "peers-env: built in" in result.stdout
    stamp = tmp_path / ".venv-peers" / ".requirements.sha256"
    assert stamp.read_text().strip() != ""
