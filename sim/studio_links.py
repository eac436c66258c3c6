"""Azure ML studio addresses (https://ml.azure.com/...) read as places in the app's own Studio page.

The SDKs print studio links: `run.get_portal_url()`, the "Web View" line of `wait_for_completion`, a v2 job's
`studio_url` and its notebook table. Offline they lead nowhere; here each one names the Studio tab and item the
app shows instead. A target is a dict of the Studio page's query parameters:

    ws          "<subscription>/<resource group>/<workspace>" (from the link's `wsid`)
    tab         compute, data, environments, experiments, models or endpoints
    experiment  an experiment's name; experiment_id its id (the SDK v1 links name experiments by id)
    run         a run's (or an SDK v2 job's) id
    model, version, endpoint, compute, data, environment   the item of those tabs
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

PORTAL_URL = re.compile(r"https://ml\.azure\.com(?:/[^\s\"'<>`\]\)]*)?")
_WSID = re.compile(r"/subscriptions/([^/]+)/resourcegroups/([^/]+)/(?:providers/Microsoft\.MachineLearningServices/)?"
                   r"workspaces/([^/?&#]+)", re.IGNORECASE)
TABS = ("compute", "data", "environments", "experiments", "models", "endpoints")  # the Studio page's tab order

# Path patterns of the studio's pages, most specific first: (regex on the path, tab, names of the groups).
_PAGES = [
    (r"/experiments/id/[^/]+/runs/([^/]+)", "experiments", ("run",)),
    (r"/experiments/[^/]+/runs/([^/]+)", "experiments", ("run",)),
    (r"/runs/([^/]+)", "experiments", ("run",)),
    (r"/experiments/id/([^/]+)", "experiments", ("experiment_id",)),
    (r"/experiments/([^/]+)", "experiments", ("experiment",)),
    (r"/experiments", "experiments", ()),
    (r"/models?/([^/:]+):([^/]+)", "models", ("model", "version")),
    (r"/models?/([^/]+)/versions/([^/]+)", "models", ("model", "version")),
    (r"/models?/([^/]+)", "models", ("model",)),
    (r"/endpoints?/(?:realtime|batch)/([^/]+)", "endpoints", ("endpoint",)),
    (r"/endpoints?/([^/]+)", "endpoints", ("endpoint",)),
    (r"/endpoints?", "endpoints", ()),
    (r"/compute/(?:list|details)", "compute", ()),
    (r"/compute/([^/]+)", "compute", ("compute",)),
    (r"/compute", "compute", ()),
    (r"/(?:data|datasets?)/([^/]+)", "data", ("data",)),
    (r"/(?:data|datasets?)", "data", ()),
    (r"/environments?/([^/]+)", "environments", ("environment",)),
    (r"/environments?", "environments", ()),
]
_ITEM_KEYS = ("run", "experiment", "experiment_id", "model", "endpoint", "compute", "data", "environment")


def portal_urls(text: str) -> list[str]:
    """The studio addresses in a text, each once, in order (a trailing full stop or comma is not part of one)."""
    found = [m.group(0).rstrip(".,;:") for m in PORTAL_URL.finditer(text or "")]
    return list(dict.fromkeys(found))


def studio_target(url: str) -> dict[str, str] | None:
    """The Studio page's query parameters for a studio address, or None when it is not one."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname != "ml.azure.com":
        return None
    target: dict[str, str] = {}
    wsid = (parse_qs(parts.query).get("wsid") or [""])[0]
    scope = _WSID.search(unquote(wsid))
    if scope:
        target["ws"] = "/".join(scope.groups())
    path = unquote(parts.path).rstrip("/")
    for pattern, tab, names in _PAGES:
        match = re.match(pattern + r"(?:/.*)?$", path)
        if match:
            target["tab"] = tab
            target.update({name: value for name, value in zip(names, match.groups(), strict=True)})
            break
    return target or None


def item_of(target: dict[str, str]) -> str:
    """The item a target names, as a learner reads it ("diabetes-model:2", a run id, ...), or ""."""
    if "model" in target and "version" in target:
        return f"{target['model']}:{target['version']}"
    return next((target[k] for k in _ITEM_KEYS if k in target), "")


def workspace_index(rows: list[dict], ws: str) -> int | None:
    """The row (of `sim.studio.workspace_rows`) of the workspace a target's `ws` names, or None."""
    wanted = [part.lower() for part in ws.split("/")]
    for i, row in enumerate(rows):
        if [row["subscription_id"].lower(), row["resource_group"].lower(), row["name"].lower()] == wanted:
            return i
    return None


def experiment_of_run(ws, run_id: str) -> str | None:
    """The name of the experiment a run (or SDK v2 job) belongs to, in a facade workspace; None when unknown."""
    from sim.azureml.core import Run

    try:
        return Run.get(ws, run_id).experiment.name
    except Exception:  # noqa: BLE001 - a link to a run that is gone opens the tab without it
        return None


def experiment_named_by_id(ws, experiment_id: str) -> str | None:
    """The name of the experiment with this id, in a facade workspace; None when there is none."""
    return next((name for name, exp in ws.experiments.items() if str(exp.id) == experiment_id), None)


def local_address(url: str, page: str = "studio") -> str:
    """The app's own Studio address for a studio link (relative, so it works under any base path), or `url`."""
    from urllib.parse import urlencode

    target = studio_target(url)
    return f"{page}?{urlencode(target)}" if target else url


def localize_links(html: str) -> str:
    """HTML with every studio address replaced by the app's own Studio address (offline the studio is not there)."""
    return PORTAL_URL.sub(lambda m: local_address(m.group(0)), html)
