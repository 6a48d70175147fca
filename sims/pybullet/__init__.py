"""The PyBullet backend: one ``DIRECT`` client per world, ``physicsClientId`` on every call."""

from sims.pybullet.world import PyBulletWorld

__all__ = ["PyBulletWorld"]
