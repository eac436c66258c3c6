"""The time window `get_output`/`show` read by default, and the charts `show` draws."""

from __future__ import annotations

import datetime as _dt

import pandas as pd

CYCLES = 10  # with no dates, results of the last ten periods up to today, as the SDK reads them
_STEP = {"Day": pd.DateOffset(days=1), "Week": pd.DateOffset(weeks=1), "Month": pd.DateOffset(months=1)}
MAGNITUDE_TITLE = "Data drift magnitude"
CONTRIBUTION_TITLE = "Drift contribution by feature"


def window(frequency: str, start, end) -> tuple[_dt.datetime, _dt.datetime]:
    """[start, end]: given dates, else ten periods either side of the one given, ending today by default."""
    step = _STEP[frequency] * CYCLES
    if start is None and end is None:
        end = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize() + pd.DateOffset(days=1)
    if start is None:
        start = pd.Timestamp(end) - step
    if end is None:
        end = pd.Timestamp(start) + step
    return pd.Timestamp(start).to_pydatetime(), pd.Timestamp(end).to_pydatetime()


def charts(rows: list[dict], threshold: float) -> dict:
    """{title: Figure}: the drift percentage per period, and each feature's contribution in the latest one."""
    import matplotlib.pyplot as plt

    if not rows:
        return {}
    magnitude, axis = plt.subplots(figsize=(8, 3.5))
    labels = [r["start_date"][:10] for r in rows]
    axis.bar(labels, [100 * r["coefficient"] for r in rows], color="tab:blue")
    axis.axhline(100 * threshold, color="tab:red", linestyle="--", label="threshold")
    axis.set(title=MAGNITUDE_TITLE, ylabel="Percentage", ylim=(0, 100))
    axis.legend()
    contribution, axis = plt.subplots(figsize=(8, 3.5))
    latest = rows[-1]["columns"]
    axis.bar(list(latest), [v.get("datadrift_contribution", 0.0) for v in latest.values()], color="tab:orange")
    axis.set(title=f"{CONTRIBUTION_TITLE} ({labels[-1]})", ylabel="Percentage")
    return {MAGNITUDE_TITLE: magnitude, CONTRIBUTION_TITLE: contribution}
