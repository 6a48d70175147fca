"""Facility inspection: a mobile robot patrols aisles, reads checkpoints and reports anomalies."""
