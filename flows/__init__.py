"""Pantau PPID: flows."""
