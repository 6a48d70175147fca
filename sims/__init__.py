"""Simulator backends, registered under the ``roboverify.sims`` entry-point group."""
