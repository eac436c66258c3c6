"""Gather RAI Insights dashboard (stand-in): the constructor's folder with every connected insight, in one place.

The dashboard output is the constructor's folder plus `insights/<kind>/<kind>.json`, and `rai_insights.json`
with every insight in it (what the Studio shows); ux_json holds that same JSON alone. An insight computed on
another constructor's dashboard is refused, as the real component refuses it.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import _insights as rai

KINDS = ("error_analysis", "explanation", "counterfactual")


def arguments(argv=None) -> argparse.Namespace:
    """The component's inputs, as its command passes them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--constructor", required=True)
    for number in range(1, 5):
        parser.add_argument(f"--insight_{number}")
    parser.add_argument("--dashboard", required=True)
    parser.add_argument("--ux_json", required=True)
    return parser.parse_args(argv)


def read_insight(folder: str, dashboard_id: str) -> dict:
    """The one insight a tool component's output holds, checked to belong to this dashboard."""
    found = [kind for kind in KINDS if (Path(folder) / f"{kind}.json").is_file()]
    if len(found) != 1:
        rai.fail(f"{folder} is not the output of an RAI tool component (error analysis, explanation or "
                 "counterfactual).")
    insight = rai.read_json(folder, f"{found[0]}.json")
    if insight.get("dashboard_id") != dashboard_id:
        rai.fail(f"the {found[0]} insight in {folder} was computed on another dashboard than the constructor's; "
                 "connect every tool to the same constructor output.")
    return insight


def main(argv=None) -> None:
    """Write the gathered dashboard and its JSON."""
    args = arguments(argv)
    meta = rai.read_json(args.constructor, rai.META)
    folders = [f for f in (args.insight_1, args.insight_2, args.insight_3, args.insight_4) if f]
    if not folders:
        rai.fail("connect at least one insight (insight_1 to insight_4) from a tool component.")
    insights = [read_insight(folder, meta["id"]) for folder in folders]
    shutil.copytree(args.constructor, args.dashboard, dirs_exist_ok=True)
    dashboard = {**meta, "insights": {kind: [i for i in insights if i["kind"] == kind] for kind in KINDS}}
    for insight in insights:
        rai.write_json(args.dashboard, f"insights/{insight['kind']}/{insight['kind']}.json", insight)
    rai.write_json(args.dashboard, rai.META, dashboard)
    rai.write_json(args.ux_json, rai.META, dashboard)
    print(f"Gathered the RAI insights dashboard '{meta['title']}': "
          + ", ".join(f"{len(v)} {k}" for k, v in dashboard["insights"].items() if v) + ".")


if __name__ == "__main__":
    main()
