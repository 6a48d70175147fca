"""A third-party roboverify skill: a waypoint pick-and-place controller for the Franka Panda."""

from __future__ import annotations

from sweep_picker.picker import SweepPicker, SweepPickerParams

__all__ = ["SweepPicker", "SweepPickerParams"]
