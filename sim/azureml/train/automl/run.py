"""Simulated `azureml.train.automl.run`: `AutoMLRun`, the parent run of an automated ML experiment.

Its children are the trials (`<run id>_<n>`), each with its metrics, `outputs/model.pkl` and
`outputs/mlflow-model/`. `get_output()` gives the best trial and its fitted scikit-learn Pipeline.
"""

from __future__ import annotations

import pickle
import time

import sim.cloud.automl.engine
import sim.cloud.automl.submitting
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service
from sim.azureml.core.run import Run, files, lifecycle, metrics, state
from sim.cloud.automl import scoring  # pure: which of two scores is better by a metric

engine, submitting = v1_service(sim.cloud.automl.engine), v1_service(sim.cloud.automl.submitting)
MODEL_FILE = "outputs/model.pkl"
RULE = "*" * 100


class AutoMLRun(Run):
    """The parent run of an AutoML experiment.

    Args:
        experiment: the experiment that holds the run.
        run_id: the run's id (`AutoML_<guid>`).
    """

    def __init__(self, experiment, run_id, **kwargs):
        super().__init__(experiment, run_id, **kwargs)
        if self._row["run_type"] != engine.RUN_TYPE:
            from sim.azureml.exceptions import UserErrorException

            raise UserErrorException(f"Run '{run_id}' is a '{self._row['run_type']}' run, not an AutoML run; open "
                                     "it with Run(experiment, run_id).")
        self.model_id = None

    @property
    def _automl(self) -> dict:
        return engine.get(self._record, self._run_id)["definition"]["automl"]

    # ---- the best trial ----------------------------------------------------------------------------
    def get_best_child(self, metric=None, onnx_compatible=False, **kwargs):
        """The completed trial with the best score (by the primary metric, or `metric`)."""
        run_id = self._best_id(metric)
        return Run._rehydrate(self.experiment, lifecycle.record_of(self._record, run_id))

    def _best_id(self, metric=None) -> str:
        self.wait_for_completion()  # as the SDK, the best trial is known once the run has ended
        best = engine.best_trial(self._record, self._run_id, metric)
        if best is None:
            from sim.azureml.exceptions import UserErrorException

            raise UserErrorException(f"No completed trial of {self._run_id} logged "
                                     f"'{metric or self._automl['primary_metric']}'; check the trials with "
                                     "get_children() and their errors.")
        return best[0]

    def get_output(self, iteration=None, metric=None, return_onnx_model=False, return_split_onnx_model=None,
                   **kwargs):
        """(best run, fitted model): the best trial (or trial number `iteration`, or best by `metric`) and its
        scikit-learn Pipeline, loaded from the trial's `outputs/model.pkl`.

        The model comes from the service as the pickle the trial saved there; it is unpickled here (the service
        never unpickles what a kernel sends, but a kernel may load what the service made)."""
        if return_onnx_model:
            not_simulated("AutoMLRun.get_output(return_onnx_model=True)")
        run_id = f"{self._run_id}_{int(iteration)}" if iteration is not None else self._best_id(metric)
        best_run = Run._rehydrate(self.experiment, lifecycle.record_of(self._record, run_id))
        model = files.read_from(self._record, run_id, MODEL_FILE)  # b"" when the trial saved none
        if not model:
            from sim.azureml.exceptions import UserErrorException

            raise UserErrorException(f"Trial {run_id} has no model (it did not complete); pick another iteration.")
        return best_run, pickle.loads(model)  # noqa: S301 - the file the service's trial saved (see above)

    def register_model(self, model_name=None, description=None, tags=None, iteration=None, metric=None):
        """Register the best trial's model (or iteration `iteration`'s) and return it; sets `model_id`."""
        best_run, _ = self.get_output(iteration=iteration, metric=metric)
        name = model_name or f"{self._run_id.replace('_', '').replace('-', '')[:28]}"
        model = best_run.register_model(name, model_path=MODEL_FILE, tags=tags, description=description)
        self.model_id = model.name
        return model

    # ---- guardrails, summary, progress -------------------------------------------------------------
    def get_guardrails(self, to_console=True):
        """The data guardrails (validation, class balance, missing values, high cardinality): printed, and
        returned as {'faults': [...]}, each with its name, result and description."""
        rails = engine.guardrails(self._record, self._run_id)
        if to_console:
            print(_guardrails_text(rails))
        return {"faults": rails}

    def summary(self):
        """A table of the algorithms tried: how many trials each, and its best score."""
        import pandas as pd

        metric = self._automl["primary_metric"]
        rows = {}
        for row in engine.trials(self._record, self._run_id):
            algorithm = row["properties"].get("run_algorithm")
            value = metrics.get_metrics(self._record, row["run_id"], metric).get(metric)
            count, best = rows.get(algorithm, (0, None))
            if metrics.is_number(value) and scoring.better(metric, float(value), best):
                best = float(value)
            rows[algorithm] = (count + 1, best)
        return pd.DataFrame([{"Algorithm": k, "Trials": c, f"Best {metric}": b} for k, (c, b) in rows.items()])

    def cancel(self):
        """Cancel the AutoML run and its running trial; returns True."""
        engine.cancel(self._record, self._run_id)
        return True

    def cancel_iteration(self, iteration):
        """Cancel trial number `iteration` if it is still running; returns True."""
        return submitting.cancel_trial(self._record, self._run_id, int(iteration))

    def continue_experiment(self, *args, **kwargs):
        """Not simulated: more trials for an ended AutoML run."""
        not_simulated("AutoMLRun.continue_experiment")

    def wait_for_completion(self, show_output=False, wait_post_processing=False):
        """Block until the run ends; with show_output, print the guardrails and each trial as it ends
        (ITER, PIPELINE, DURATION, METRIC, BEST). Returns the run's details."""
        shown: set[str] = set()
        best = None
        if show_output:
            print(f"Submitted AutoML run: {self._run_id}\n")
            print(_guardrails_text(engine.guardrails(self._record, self._run_id)))
            print(_ITERATION_HEADER)
        while True:
            current = engine.get(self._record, self._run_id)["status"]
            if show_output:
                best = self._print_new_trials(shown, best)
            if current in state.TERMINAL:
                break
            time.sleep(0.25)
        if show_output:
            self._print_new_trials(shown, best)
            print(f"\nRun {self._run_id}: {current}")
        return self.get_details()

    def _print_new_trials(self, shown: set, best):
        metric = self._automl["primary_metric"]
        for row in engine.trials(self._record, self._run_id):
            if row["run_id"] in shown or row["status"] not in state.TERMINAL:
                continue
            shown.add(row["run_id"])
            value = metrics.get_metrics(self._record, row["run_id"], metric).get(metric)
            score = float(value) if metrics.is_number(value) else None
            if score is not None and scoring.better(metric, score, best):
                best = score
            seconds = int((row["ended"] or row["created"]) - (row["started"] or row["created"]))
            print(f"{row['properties'].get('iteration', ''):>5}   {_pipeline_name(row):<48}"
                  f"{time.strftime('%H:%M:%S', time.gmtime(seconds)):>10}   "
                  f"{'' if score is None else f'{score:.4f}':>8}  {'' if best is None else f'{best:.4f}':>8}"
                  f"{'' if score is not None else '   ' + row['status']}")
        return best


def _pipeline_name(row: dict) -> str:
    """A trial's scaler and algorithm as one name ("MaxAbsScaler LightGBM"; an ensemble has no scaler), padded as one
    column so the DURATION, METRIC and BEST columns line up whatever the scaler's length."""
    props = row["properties"]
    return f"{props.get('run_preprocessor', '')} {props.get('run_algorithm', '')}".strip()


_ITERATION_HEADER = "\n".join([
    RULE, "ITER: the trial's number.", "PIPELINE: the featurization scaler and the model the trial fitted.",
    "DURATION: how long the trial took.", "METRIC: the trial's score by the primary metric.",
    "BEST: the best score so far.", RULE, "", f"{'ITER':>5}   {'PIPELINE':<48}{'DURATION':>10}   {'METRIC':>8}  "
    f"{'BEST':>8}"])


def _guardrails_text(rails: list[dict]) -> str:
    lines = [RULE, "DATA GUARDRAILS:", ""]
    for rail in rails:
        lines += [f"TYPE:         {rail['name']}", f"STATUS:       {rail['result'].upper()}",
                  f"DESCRIPTION:  {rail['description']}"]
        for detail in rail.get("details") or []:
            lines.append("              " + ", ".join(f"{k}: {v}" for k, v in detail.items()))
        lines.append("")
    return "\n".join(lines + [RULE])


Run.add_type_provider(engine.RUN_TYPE, AutoMLRun)
