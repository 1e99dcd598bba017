"""Lots: the lot accessibility report and lot-split suggestions (PRO-1, PRO-2)."""
