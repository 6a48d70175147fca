"""Stage 3, execution: where episodes run, and surviving whatever they do.

Takes jobs and runs them in this process, in isolated worker processes with wall-clock and
memory limits, or on a Ray cluster; journals every result as it arrives. Hands on episode
results, in any order; the same jobs give the same results on any backend.
"""
