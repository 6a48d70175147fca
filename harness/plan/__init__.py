"""Stage 1, plan: from the files a user writes to a runnable plan.

Takes a plan YAML (and the scenario specs, cost model and conditions files it names), checks
every field and every cross-reference with file, line and fix, resolves every plugin name, and
hands on a :class:`~harness.plan.resolve.ResolvedPlan` and its jobs, one per episode, each with
its seed (``harness.plan.jobs``, ``harness.plan.seeding``).
"""
