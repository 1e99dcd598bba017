"""Bids: per-lot bids with consented supply chains (PRO-7), sealed until the deadline (PRO-8),
full-cost disclosure (EVA-4) and answers to every published criterion (EVA-1)."""
