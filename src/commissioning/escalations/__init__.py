"""Escalations (REF-2): a provider tells probation of escalating risk or a breach through a
tracked channel; probation acknowledges and responds, measured against targets per urgency."""
