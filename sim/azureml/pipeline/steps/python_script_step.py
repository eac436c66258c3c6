"""``azureml.pipeline.steps.python_script_step``: PythonScriptStep, a script run as a step of a pipeline."""

from __future__ import annotations

import numbers
import os
import uuid

from sim import messages
from sim.azureml.pipeline.core.builder import PipelineData


class PythonScriptStep:
    """Run ``script_name`` from ``source_directory`` on ``compute_target``, in ``runconfig``'s environment.

    ``arguments`` may hold strings and numbers, datasets given ``as_named_input(...)`` (the script finds them in
    ``run.input_datasets``), ``OutputFileDatasetConfig`` / ``PipelineData`` it writes (the argument is a folder
    path), earlier steps' outputs it reads (``.as_input()``) and PipelineParameters (the run's value; a DataPath
    parameter paired with a DataPathComputeBinding gives the folder it names). ``allow_reuse`` lets the service
    skip the step when its code, arguments, parameter values, inputs, environment and compute are all unchanged.
    """

    def __init__(self, script_name, name=None, arguments=None, compute_target=None, runconfig=None,
                 runconfig_pipeline_params=None, inputs=None, outputs=None, params=None, source_directory=None,
                 allow_reuse=True, version=None, hash_paths=None):
        """Describe the step (nothing runs until its pipeline is submitted)."""
        self.name = name or script_name
        self._script = script_name
        self._arguments = list(arguments or [])
        self._compute_target = compute_target
        self._runconfig = runconfig
        self._inputs = list(inputs or [])
        self._outputs = list(outputs or [])
        self._source_directory = source_directory
        self._allow_reuse = allow_reuse
        if params or runconfig_pipeline_params:
            from sim.azureml._common.not_simulated import not_simulated

            not_simulated("PythonScriptStep(params=..., runconfig_pipeline_params=...)")

    def _resolve(self, workspace, default_source_directory=None) -> dict:
        """The step as the service runs it: script, folder, argument strings, input specs, environment,
        compute target, and the outputs (by id) it produces and consumes."""
        source = self._source_directory or default_source_directory or "."
        staging = workspace._record.folder / "pipeline_inputs" / uuid.uuid4().hex  # download/mount files
        produced = {id(o) for o in self._outputs}
        step = {"name": self.name, "source_directory": os.fspath(source), "script": self._script,
                "arguments": [], "inputs": [], "environment": self._environment(), "target": self._target(),
                "allow_reuse": bool(self._allow_reuse), "produces": [], "consumes": [], "named_outputs": {},
                "parameters": {}}
        for value in self._arguments:
            step["arguments"].append(self._bind(value, workspace, staging, step, produced))
        for value in [*self._inputs, *self._outputs]:
            if not any(value is a for a in self._arguments):
                self._bind(value, workspace, staging, step, produced)
        return step

    def _bind(self, value, workspace, staging, step: dict, produced: set) -> str:
        """One argument or input/output as the script gets it; records what the step writes and reads."""
        parameter = _parameter_of(value)
        if parameter is not None:  # the service puts the run's value in place of the placeholder
            step["parameters"][parameter.name] = parameter._declaration()
            return parameter._placeholder()
        if isinstance(value, str | numbers.Number):
            return str(value)
        if isinstance(value, PipelineData):
            if id(value) in produced:
                _record_output(step, value, value._datastore, workspace)
            else:
                step["consumes"].append(value._unique)
            return str(value._folder(workspace))
        if hasattr(value, "_as_file_dataset"):  # an OutputFileDatasetConfig this step writes
            _record_output(step, value, value._datastore(workspace), workspace)
            spec = value._materialize(staging, workspace)
        elif hasattr(value, "_materialize"):  # a dataset, or an earlier step's output `.as_input()`
            if _consumed_parameter(value) is not None:  # a dataset parameter: the service gives the run's value
                step["parameters"][value.dataset.name] = value.dataset._declaration()
            elif hasattr(value.dataset, "_as_file_dataset"):
                step["consumes"].append(value.dataset._unique)
            spec = value._materialize(staging, workspace)
        else:
            from sim.azureml.exceptions import RunConfigurationException

            raise RunConfigurationException(messages.BAD_ARGUMENT.format(type_name=type(value).__name__,
                                                                          index=len(step["arguments"])))
        step["inputs"].append(spec)
        return str(spec["argument"])

    def _environment(self) -> dict:
        return _environment_of(self._runconfig)

    def _target(self) -> str:
        return _target_name(self._compute_target or getattr(self._runconfig, "target", None))

    def __repr__(self):
        return f"PythonScriptStep(name={self.name!r}, script_name={self._script!r})"


def _parameter_of(value):
    """The PipelineParameter a value is (or pairs with a DataPathComputeBinding), else None."""
    from sim.azureml.pipeline.core.graph import PipelineParameter

    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], PipelineParameter):
        return value[0]
    return value if isinstance(value, PipelineParameter) else None


def _consumed_parameter(value):
    """The dataset PipelineParameter a DatasetConsumptionConfig consumes, else None."""
    from sim.azureml.pipeline.core.graph import PipelineParameter

    dataset = getattr(value, "dataset", None)
    return dataset if isinstance(dataset, PipelineParameter) else None


def _record_output(step: dict, output, datastore, workspace) -> None:
    """Note an output the step writes: its id (for ordering) and where it is (for StepRun.get_output_data)."""
    from sim.azureml.core.datastore import Datastore

    store = datastore or Datastore.get_default(workspace)
    step["produces"].append(output._unique)
    where = {"datastore": store.name, "path": output._path_on_datastore()}
    if getattr(output, "_pipeline_output_name", None):  # PipelineData promoted to an output of the whole run
        where["pipeline_output"] = output._pipeline_output_name
    step["named_outputs"][output.name] = where


def _environment_of(runconfig_or_environment) -> dict:
    """An environment (or a run configuration's) as the service records it."""
    env = getattr(runconfig_or_environment, "environment", runconfig_or_environment)
    if env is None:
        return {}
    return env._to_definition() if hasattr(env, "_to_definition") else {"name": str(env)}


def _target_name(target) -> str:
    """A compute target given as an object or a name, as its name ("local" when none)."""
    if target is None:
        return "local"
    return target if isinstance(target, str) else getattr(target, "name", str(target))


__all__ = ["PythonScriptStep"]
