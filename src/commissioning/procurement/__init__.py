"""Opportunities (tenders) and their lots (PRO-1, PRO-2). Contracts are let per lot."""
