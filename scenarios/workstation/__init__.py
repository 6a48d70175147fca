"""Industrial workstation scenarios: a fixed arm at a table."""
