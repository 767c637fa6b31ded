"""Pantau PPID: scrapers."""
