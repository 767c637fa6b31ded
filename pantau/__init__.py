"""Pantau PPID: pantau."""
