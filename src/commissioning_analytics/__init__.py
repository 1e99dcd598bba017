"""Framework-free analytics core: market measures, synthetic data, statistics, payments, scoring.

Nothing here imports Django (enforced by ruff's TID251 rule in pyproject.toml), so every
function is usable from the CLI, notebooks and benchmarks as well as the web app.
"""
