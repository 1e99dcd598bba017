"""What procurement tells the apps above it (which it may not import): sent inside the
publishing transaction, so a receiver's writes roll back with it."""

from django.dispatch import Signal

opportunity_published = Signal()
"""Sent with ``opportunity=`` when an opportunity opens for bids (alerts, issue 18)."""
