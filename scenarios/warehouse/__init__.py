"""Warehouse scenarios: order picking with a fixed arm and a mobile robot in a shared aisle."""
