"""``azureml.pipeline.steps.parallel_run_step``: ParallelRunConfig and ParallelRunStep, batch inference as a
pipeline step: an entry script's ``init()`` then ``run(mini_batch)`` over the files or rows of its inputs."""

from __future__ import annotations

import os

from sim import messages
from sim.azureml.pipeline.core.builder import PipelineData
from sim.azureml.pipeline.steps.python_script_step import PythonScriptStep

DRIVER = "azureml_parallel_run_driver.py"  # Azure ML runs the entry script through a driver of its own, too
MAX_PROCESSES = 8  # node_count x process_count_per_node run as local processes: this many at most
OUTPUT_ACTIONS = ("append_row", "summary_only")


class ParallelRunConfig:
    """How a ParallelRunStep runs: the entry script and its folder, the environment, how many files (or how
    much tabular data) a mini-batch holds, how many failed items to tolerate (``error_threshold``, -1: any),
    what to do with ``run``'s results (``append_row`` to one file, or ``summary_only``) and on how many nodes
    and processes."""

    def __init__(self, environment, entry_script, error_threshold, output_action, compute_target, node_count,
                 process_count_per_node=None, mini_batch_size=None, source_directory=None, description=None,
                 logging_level="INFO", run_invocation_timeout=60, run_max_try=3, append_row_file_name=None,
                 allowed_failed_count=None, allowed_failed_percent=None, partition_keys=None,
                 environment_variables=None):
        """Describe the parallel run (checked here, as the SDK does)."""
        if output_action not in OUTPUT_ACTIONS:
            raise ValueError(messages.PARALLEL_OUTPUT_ACTION.format(action=output_action))
        if not isinstance(error_threshold, int) or error_threshold < -1:
            raise ValueError(messages.PARALLEL_ERROR_THRESHOLD.format(value=error_threshold))
        if partition_keys:
            from sim.azureml._common.not_simulated import not_simulated

            not_simulated("ParallelRunConfig(partition_keys=...)")
        self.environment, self.entry_script, self.error_threshold = environment, entry_script, error_threshold
        self.output_action, self.compute_target, self.node_count = output_action, compute_target, int(node_count)
        self.process_count_per_node = process_count_per_node
        self.mini_batch_size = mini_batch_size
        self.source_directory, self.description = source_directory, description
        self.append_row_file_name = append_row_file_name or "parallel_run_step.txt"
        self.environment_variables = dict(environment_variables or {})

    def _processes(self) -> int:
        per_node = self.process_count_per_node or os.cpu_count() or 1  # the SDK's default: one per core
        return max(1, min(MAX_PROCESSES, self.node_count * int(per_node)))


class ParallelRunStep:
    """A pipeline step that runs a ParallelRunConfig over ``inputs`` (file or tabular datasets) and writes
    its results to ``output`` (an OutputFileDatasetConfig or PipelineData)."""

    def __init__(self, name, parallel_run_config, inputs, output=None, side_inputs=None, arguments=None,
                 allow_reuse=True):
        """Describe the step (nothing runs until its pipeline is submitted)."""
        if not inputs:
            raise ValueError(messages.PARALLEL_NO_INPUTS)
        if side_inputs:
            from sim.azureml._common.not_simulated import not_simulated

            not_simulated("ParallelRunStep(side_inputs=...)")
        self.name = name
        self._config = parallel_run_config
        self._inputs = list(inputs)
        self._output = output
        self._arguments = list(arguments or [])
        self._allow_reuse = allow_reuse

    def _resolve(self, workspace, default_source_directory=None) -> dict:
        """The step as the service runs it: the parallel driver on a snapshot of the entry script's folder."""
        config = self._config
        batch_size = config.mini_batch_size or ("10" if _all_files(self._inputs) else "1MB")
        arguments = ["--entry_script", config.entry_script, "--mini_batch_size", str(batch_size),
                     "--error_threshold", str(config.error_threshold), "--output_action", config.output_action,
                     "--append_row_file_name", config.append_row_file_name,
                     "--process_count", str(config._processes())]
        if self._output is not None:
            arguments += ["--output", self._output]
        tabular = []
        for given in self._inputs:
            arguments += _input_arguments(given, tabular)
        step = PythonScriptStep(DRIVER, name=self.name, arguments=[*arguments, *self._arguments],
                                compute_target=config.compute_target, runconfig=config.environment,
                                inputs=tabular, outputs=[self._output] if self._output is not None else [],
                                source_directory=config.source_directory, allow_reuse=self._allow_reuse)
        return dict(step._resolve(workspace, default_source_directory), kind="parallel")  # the service adds its driver


def _input_arguments(given, tabular: list) -> list:
    """The driver's arguments for one input: a FileDataset (or an earlier step's output) is a mounted folder
    whose files it lists; a TabularDataset is read in the driver from `run.input_datasets` (added to `tabular`)."""
    dataset = getattr(given, "dataset", given)
    name = getattr(given, "name", None) or getattr(dataset, "name", None) or "input"
    if type(dataset).__name__ == "TabularDataset":
        tabular.append(dataset.as_named_input(name))
        return ["--input_tabular", name]
    if hasattr(dataset, "_unique"):  # an earlier step's output (PipelineData / OutputFileDatasetConfig)
        return ["--input_folder", given if isinstance(given, PipelineData) or given is not dataset
                else dataset.as_input(name)]
    return ["--input_folder", dataset.as_named_input(name).as_mount()]


def _all_files(inputs) -> bool:
    return all(type(getattr(i, "dataset", i)).__name__ != "TabularDataset" for i in inputs)


__all__ = ["ParallelRunConfig", "ParallelRunStep"]
