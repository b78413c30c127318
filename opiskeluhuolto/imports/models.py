"""Imports of rosters, attendance and study progress."""
