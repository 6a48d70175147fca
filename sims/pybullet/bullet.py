"""The one place that imports the pybullet extension (quietly: it prints its build time)."""

from sims.pybullet.quiet import quiet_native_output

with quiet_native_output():
    import pybullet as p

__all__ = ["p"]
