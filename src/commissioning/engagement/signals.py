"""What engagement tells the apps above it (which it may not import): sent inside the
publishing transaction, so a receiver's writes roll back with it."""

from django.dispatch import Signal

consultation_published = Signal()
"""Sent with ``consultation=`` when a consultation is published (alerts, issue 18)."""

market_event_published = Signal()
"""Sent with ``event=`` when a market engagement event is announced (alerts, issue 18)."""
