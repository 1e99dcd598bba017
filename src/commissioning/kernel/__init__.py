"""The shared kernel every feature app builds its pages on: the GOV.UK form base
(:mod:`.forms`), pagination, the admin's read-only building blocks, words that agree with a number
(:mod:`.text`), the tags every template may use without ``{% load %}``
(``templatetags/layout.py``, builtins in settings) and generic widgets.

It imports no feature app (the ``layers`` and ``kernel-imports-no-feature`` contracts in
pyproject.toml fail the build if it does; docs/architecture.md): the home page and navigation,
which read the features, are the ``web`` app's.
"""
