"""Commissioning: the Django project (web, API, CLI) around the framework-free analytics core."""
