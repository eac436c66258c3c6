"""`raiwidgets` as the simulator serves it: `FairnessDashboard` shown in the notebook as a table and a chart.

The real raiwidgets pins a numpy and pandas older than the project's, so it cannot be installed beside them. The
real dashboard is an interactive widget (pick a sensitive feature, a metric, compare models on a scatter plot);
this one shows the same numbers, computed with the real fairlearn, as a per-group table and a bar chart of each
model's selection rate (or mean prediction) and accuracy by group, plus each model's disparity.
"""

from sim.raiwidgets._fairness import FairnessDashboard

__all__ = ["FairnessDashboard"]
