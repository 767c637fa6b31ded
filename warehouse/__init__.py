"""Pantau PPID: warehouse."""
