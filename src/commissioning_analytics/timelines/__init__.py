"""Procurement timelines: England & Wales working days and the PRO-3/PRO-4 timeline policy."""
