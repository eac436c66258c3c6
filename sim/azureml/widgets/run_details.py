"""Simulated `azureml.widgets.run_details`: `RunDetails`.

The real widget is an ipywidgets panel that refreshes while the run goes. This one renders a snapshot
of the same facts (status, metrics, files) as HTML in a notebook and as text elsewhere, with no
widget dependency; show it again to refresh.
"""

from __future__ import annotations

import html


class RunDetails:
    """A view of a run's progress: status, metrics and files.

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
        facts["children"] = [(c.id, c.get_status()) for c in run.get_children()] \
            if hasattr(run, "get_children") else []
        return facts

    @staticmethod
    def _text(facts: dict) -> str:
        lines = [f"Run {facts['run_id']}", f"Status: {facts['status']}", "", "Metrics:"]
        lines += [f"  {name}: {_short(value)}" for name, value in facts["metrics"].items()] or ["  (none yet)"]
        lines += ["", "Files:"] + ([f"  {name}" for name in facts["files"]] or ["  (none yet)"])
        if facts["children"]:
            lines += ["", "Child runs:"] + [f"  {cid}: {status}" for cid, status in facts["children"]]
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
                f"</div>")


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
