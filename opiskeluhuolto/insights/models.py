"""Knowledge-based management: early warning, dashboards, exports."""
