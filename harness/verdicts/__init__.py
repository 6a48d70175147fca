"""Stage 4, verdicts: statistics that keep their promises.

Takes episode results and the plan's gates; hands on intervals, per-scenario summaries
(rates, measurements, reliability, recovery, endurance), gate decisions with family-wise error
control, sequential (SPRT) decisions, comparisons with a baseline and the economics.
"""
