"""The SDK v2 part of the coverage page: which REST operations the simulated service answers.

SDK v2 is the real azure-ai-ml, so its classes are all there; what can be missing is the service behind them.
The table is generated from the routes themselves (method, host, path, the handler's first doc line), so it
cannot drift from what is served. Anything else answers 501 NotSimulated.
"""

from __future__ import annotations

from sim.rest import _app


def _first_doc_line(func) -> str:
    doc = (func.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""


def operations() -> list[tuple[str, str, str, str]]:
    """(area, methods, host + path, what it does) for every served route, in module order."""
    rows = []
    for rule in _app._url_map().iter_rules():
        methods = ", ".join(sorted(rule.methods - {"HEAD", "OPTIONS"})) or "HEAD"
        area = rule.endpoint.__module__.split(".")[2]  # sim.rest.<area>[.<part of a package>]
        rows.append((area, methods, f"{rule.host}{rule.rule}", _first_doc_line(rule.endpoint)))
    return rows


def render() -> str:
    """The markdown section."""
    lines = ["", "## SDK v2 (`azure-ai-ml`): operations the simulated REST service answers", "",
             "The real `azure-ai-ml` and `azure-identity` run unchanged; `sim.rest` answers these requests. "
             "Any other request answers 501 `NotSimulated`, which the SDK raises as `HttpResponseError`.", "",
             "| Area | Method | Host and path | What it does |", "|---|---|---|---|"]
    lines += [f"| {area} | {methods} | `{path}` | {doc} |" for area, methods, path, doc in operations()]
    return "\n".join(lines) + "\n"
