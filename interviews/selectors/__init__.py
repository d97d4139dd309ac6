"""Reads that span relations."""
