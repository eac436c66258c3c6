"""``azureml.pipeline.steps.python_script_step``: PythonScriptStep, a script run as a step of a pipeline."""

from __future__ import annotations

import numbers
import os

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
        """The step as the service takes it (`sim.cloud.pipelines.graphs`): script, folder, arguments (text, or a
        binding: data it reads or writes, which the service puts in place when the step starts), environment,
        compute target and the pipeline parameters it uses."""
        source = self._source_directory or default_source_directory or "."
        produced = {id(o) for o in self._outputs}
        # Absolute: the service, which snapshots the folder, has another working folder.
        step = {"kind": "script", "name": self.name, "source_directory": os.path.abspath(os.fspath(source)),
                "script": self._script, "arguments": [], "bindings": [], "environment": self._environment(),
                "target": self._target(), "allow_reuse": bool(self._allow_reuse), "parameters": {}}
        for value in self._arguments:
            step["arguments"].append(self._bind(value, step, produced))
        for value in [*self._inputs, *self._outputs]:
            if not any(value is a for a in self._arguments):
                self._bind(value, step, produced)
        return step

    def _bind(self, value, step: dict, produced: set):
        """One argument or input/output as the service takes it: text, or {"bind": i} for the data it names."""
        parameter = _parameter_of(value)
        if parameter is not None:  # the service puts the run's value in place of the placeholder
            step["parameters"][parameter.name] = parameter._declaration()
            return parameter._placeholder()
        if isinstance(value, str | numbers.Number):
            return str(value)
        binding = _binding(value, step, produced)
        if binding is None:
            from sim.azureml.exceptions import RunConfigurationException

            raise RunConfigurationException(messages.BAD_ARGUMENT.format(type_name=type(value).__name__,
                                                                          index=len(step["arguments"])))
        step["bindings"].append(binding)
        return {"bind": len(step["bindings"]) - 1}

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


def _binding(value, step: dict, produced: set) -> dict | None:
    """The data `value` names, as the service puts it in place (`sim.cloud.pipelines._bindings`); None for a value
    a step cannot take."""
    if isinstance(value, PipelineData):
        return _output(value) if id(value) in produced else {"step_data": dict(_where(value), mode="mount")}
    if hasattr(value, "_as_file_dataset"):  # an OutputFileDatasetConfig this step writes
        return _output(value)
    if not hasattr(value, "_placement_request") or not hasattr(value, "dataset"):
        return None  # not a dataset input (a DataReference, say)
    parameter = _consumed_parameter(value)
    if parameter is not None:  # a dataset parameter: the service gives the run's dataset
        step["parameters"][parameter.name] = parameter._declaration()
        return {"dataset_parameter": {"name": value.name, "parameter": parameter.name}}
    if hasattr(value.dataset, "_as_file_dataset"):  # an earlier step's output, `.as_input()`
        return {"step_data": dict(_where(value.dataset), name=value.name, mode=value.mode)}
    return {"dataset": value._placement_request()}


def _output(output) -> dict:
    """An output a step writes: where it is, and whether the whole run promotes it (PipelineData)."""
    where = _where(output)
    if getattr(output, "_pipeline_output_name", None):
        where["pipeline_output"] = output._pipeline_output_name
    if getattr(output, "training_output", None) is not None:  # an AutoMLStep's Metrics or Model file
        where["training_output"] = output.training_output.type
    return {"output": where}


def _where(output) -> dict:
    """An output's id, name and place: its datastore (None: the workspace's default) and path on it."""
    if isinstance(output, PipelineData):
        store, kind = output.datastore, "PipelineData"
    else:
        store, kind = (output.destination[0] if output.destination else None), "OutputFileDatasetConfig"
    return {"id": output._unique, "name": output.name, "datastore": getattr(store, "name", store),
            "path": output._path_on_datastore(), "kind": kind}


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
