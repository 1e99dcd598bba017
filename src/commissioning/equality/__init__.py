"""Equality impact assessments of commissioning exercises (EQU-1, USR-1)."""
