"""Stage 2, episode: one episode (or one endurance run) in phases, in this process.

Takes a built world and scenario, a skill factory, the criteria and a seed; runs setup, the
tick loop (observe, act, validate the command, step, judge) and a teardown that always runs,
injects the spec's faults, and hands on one :class:`~harness.results.EpisodeResult` whatever
the skill did. ``harness.episode.conformance`` runs a few such episodes with a recording
wrapper around the skill to check that it keeps the Skill contract (``roboverify check-skill``).
"""
