"""``azureml.pipeline.steps.automl_step``: AutoMLStep, an automated ML run as a step of a pipeline, and
AutoMLStepRun, that step's run seen as an AutoMLRun (best model, trials, guardrails, default outputs)."""

from __future__ import annotations

import re

from sim import messages
from sim.azureml.pipeline.core.builder import PipelineData
from sim.azureml.pipeline.core.graph import TrainingOutput
from sim.azureml.pipeline.steps.python_script_step import _output, _target_name
from sim.azureml.train.automl.run import AutoMLRun

METRICS, MODEL = "Metrics", "Model"


class AutoMLStep:
    """Run an AutoMLConfig as a pipeline step: its trials are children of the step's run, which is an AutoML run
    child of the pipeline run. Its outputs are PipelineData with a ``training_output``: ``TrainingOutput('Model')``
    (the best model, pickled) or ``TrainingOutput('Metrics')`` (every trial's metrics, as JSON); by default the step
    also writes ``default_model_<name>`` and ``default_metrics_<name>``.

    The AutoMLConfig's ``training_data`` (and ``validation_data``) is a TabularDataset, or an earlier step's
    OutputFileDatasetConfig read with ``read_delimited_files()``; it is read when the step starts.
    """

    def __init__(self, name, automl_config, inputs=None, outputs=None, script_repl_params=None, allow_reuse=True,
                 version=None, hash_paths=None, enable_default_model_output=True, enable_default_metrics_output=True,
                 **kwargs):
        """Describe the step (nothing runs until its pipeline is submitted)."""
        if not hasattr(automl_config, "user_settings"):
            raise ValueError(messages.AUTOML_STEP_NOT_AUTOML.format(type_name=type(automl_config).__name__))
        self.name = name
        self._config = automl_config
        self._inputs = list(inputs or [])
        self._outputs = [_checked_output(o) for o in outputs or []]
        self._allow_reuse = allow_reuse
        stem = default_stem(name)
        if enable_default_model_output:
            self._outputs.append(PipelineData(f"default_model_{stem}", training_output=TrainingOutput(MODEL)))
        if enable_default_metrics_output:
            self._outputs.append(PipelineData(f"default_metrics_{stem}", training_output=TrainingOutput(METRICS)))

    def _resolve(self, workspace, default_source_directory=None) -> dict:
        """The step as the service takes it (`sim.cloud.pipelines.graphs`): the AutoML settings, where its data
        is, its compute and its training outputs."""
        config = self._config
        step = {"kind": "automl", "name": self.name, "settings": dict(config.user_settings),
                "target": _target_name(config.compute_target), "allow_reuse": bool(self._allow_reuse),
                "consumes": [], "outputs": [_output(output) for output in self._outputs], "parameters": {}}
        step["training"] = _source(config.training_data, workspace, step)
        given = config.validation_data
        step["validation"] = _source(given, workspace, step) if given is not None else None
        return step

    def __repr__(self):
        return f"AutoMLStep(name={self.name!r})"


class AutoMLStepRun(AutoMLRun):
    """An AutoMLStep's run (from a StepRun): the AutoML run's trials, best model and guardrails, and the step's
    default outputs."""

    def __init__(self, step_run):
        """Wrap ``step_run`` (a reused step is its original run)."""
        run_id = getattr(step_run, "_reused_run_id", None) or step_run.id
        super().__init__(step_run.experiment, run_id)
        self._step_run = step_run

    def get_default_metrics_output(self):
        """The step's default metrics output (a StepRunOutput)."""
        return self._default_output(f"default_metrics_{default_stem(self._step_run.display_name)}")

    def get_default_model_output(self):
        """The step's default model output (a StepRunOutput)."""
        return self._default_output(f"default_model_{default_stem(self._step_run.display_name)}")

    def _default_output(self, name):
        from sim.azureml.pipeline.core.run import StepRunOutput

        reference = self._step_run.get_output(name)
        return StepRunOutput(self.experiment.workspace, self._step_run.pipeline_run_id, self._step_run, name,
                             reference)


def default_stem(name) -> str:
    """A step name as the default outputs' names use it (letters, digits and underscores)."""
    return re.sub(r"\W", "_", str(name))


def _checked_output(output):
    if not isinstance(output, PipelineData) or output.training_output is None:
        raise ValueError(messages.AUTOML_STEP_OUTPUT_KIND.format(output=output))
    return output


def _source(data, workspace, step: dict) -> dict:
    """Where the service reads the step's data: a tabular dataset's definition, or an earlier step's output
    folder (``read_delimited_files()``), which makes this step run after that one."""
    if hasattr(data, "_tabular_source"):
        step["consumes"].append(data._unique)
        return data._tabular_source(workspace)
    dataset = getattr(data, "dataset", data)  # a dataset given as_named_input(...)
    if type(dataset).__name__ != "TabularDataset":
        raise ValueError(messages.AUTOML_STEP_DATA_KIND.format(type_name=type(dataset).__name__))
    return {"kind": "definition", "definition": dataset._definition}


__all__ = ["AutoMLStep", "AutoMLStepRun"]
