"""Stage 6, campaign: a whole run, from plan to written report.

Takes a resolved plan and a backend; runs every episode (in waves for a sequential plan),
keeps the output folder (manifest, journal, lock, resume), adds the follow-ups the plan asks
for (reruns, baseline skill, an earlier report) and hands on the finished report.
"""
