"""Clarification questions on opportunities (PRO-4) and their effect on the timeline (PRO-3)."""
