"""Invoices and payments at every tier of a contract, and payments compliance (LAW-3, UK17)."""
