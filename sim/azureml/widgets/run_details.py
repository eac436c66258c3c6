"""Simulated `azureml.widgets.run_details`: `RunDetails`.

The real widget is an ipywidgets panel that refreshes while the run goes. This one renders a snapshot
of the same facts (status, metrics, files) as HTML in a notebook and as text elsewhere, with no
widget dependency; show it again to refresh.
"""

from __future__ import annotations

import html

PIPELINE_RUN_TYPE = "azureml.PipelineRun"  # a pipeline run's children are its steps


class RunDetails:
    """A view of a run's progress: status, metrics, files and child runs (a pipeline run's steps, with their
    status and whether they were reused; an AutoML run's or a sweep's trials).

    Args:
        run_instance: the run to show.
    """

    def __init__(self, run_instance):
        if not hasattr(run_instance, "get_metrics") or not hasattr(run_instance, "get_status"):
            from sim.azureml.exceptions import UserErrorException
            from sim.messages import RUN_DETAILS_NOT_A_RUN

            raise UserErrorException(RUN_DETAILS_NOT_A_RUN.format(type_name=type(run_instance).__name__))
        self.run_instance = run_instance

    def show(self, render_lib=None, widget_settings=None):
        """Show the run: HTML in a Jupyter notebook, text otherwise."""
        facts = self._facts()
        if _in_notebook():
            from IPython.display import HTML, display

            display(HTML(self._html(facts)))
        else:
            print(self._text(facts))

    def get_widget_data(self, widget_settings=None):
        """The facts the view shows, as a dict (status, metrics, files)."""
        return self._facts()

    def _facts(self) -> dict:
        run = self.run_instance
        facts = {"run_id": run.id, "status": run.get_status(), "metrics": run.get_metrics()}
        facts["files"] = run.get_file_names() if hasattr(run, "get_file_names") else []
        facts["children"] = [_child_facts(c) for c in run.get_children()] if hasattr(run, "get_children") else []
        facts["children_heading"] = "Steps" if getattr(run, "type", None) == PIPELINE_RUN_TYPE else "Child runs"
        return facts

    @staticmethod
    def _text(facts: dict) -> str:
        lines = [f"Run {facts['run_id']}", f"Status: {facts['status']}", "", "Metrics:"]
        lines += [f"  {name}: {_short(value)}" for name, value in facts["metrics"].items()] or ["  (none yet)"]
        lines += ["", "Files:"] + ([f"  {name}" for name in facts["files"]] or ["  (none yet)"])
        if facts["children"]:
            lines += ["", f"{facts['children_heading']}:"]
            lines += [f"  {c['name']}: {c['status']}{' (reused)' if c['reused'] else ''}  [{c['run_id']}]"
                      for c in facts["children"]]
        if facts["status"] not in ("Completed", "Failed", "Canceled"):
            lines += ["", "(A snapshot: show the details again, or call run.wait_for_completion(), to refresh.)"]
        return "\n".join(lines)

    @staticmethod
    def _html(facts: dict) -> str:
        def rows(pairs):
            return "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(_short(v))}</td></tr>"
                           for k, v in pairs)

        return (f"<div class='run-details'><h4>Run {html.escape(facts['run_id'])}</h4>"
                f"<p><b>Status:</b> {html.escape(facts['status'])}</p>"
                f"<table><tr><th>Metric</th><th>Value</th></tr>{rows(facts['metrics'].items())}</table>"
                f"<p><b>Files</b></p><ul>{''.join(f'<li>{html.escape(f)}</li>' for f in facts['files'])}</ul>"
                f"{_children_html(facts)}</div>")


def _child_facts(child) -> dict:
    """A child run (a pipeline's step, an AutoML trial, a sweep's trial) as the view lists it."""
    return {"run_id": child.id, "name": getattr(child, "display_name", None) or child.id,
            "status": child.get_status(), "reused": bool(getattr(child, "_is_reused", False))}


def _children_html(facts: dict) -> str:
    if not facts["children"]:
        return ""
    rows = "".join(f"<tr><td>{html.escape(c['name'])}</td><td>{html.escape(c['status'])}"
                   f"{' (reused)' if c['reused'] else ''}</td><td>{html.escape(c['run_id'])}</td></tr>"
                   for c in facts["children"])
    return (f"<p><b>{facts['children_heading']}</b></p><table><tr><th>Name</th><th>Status</th><th>Run</th></tr>"
            f"{rows}</table>")


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")
