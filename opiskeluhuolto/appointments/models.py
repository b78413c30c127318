"""Appointments with welfare staff within the legal time limits."""
