"""Pantau PPID: dashboard."""
