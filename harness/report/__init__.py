"""Stage 5, report: the verification report's model, built from episodes and verdicts.

Takes a resolved plan and its episode results; hands on a :class:`~harness.report.model.Report`
(the pydantic model behind ``report.json``) with the run's verdict and exit code, and writes it.
"""
