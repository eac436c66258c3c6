"""Simulated `azureml.core.script_run_config`: `ScriptRunConfig`, what to run for `experiment.submit`."""

from __future__ import annotations

import numbers
import os

from sim.azureml.core.runconfig import RunConfiguration


class ScriptRunConfig:
    """A script, its arguments and where/how to run it.

    Args:
        source_directory: the local folder with the script (snapshotted at submit).
        script: the script's path relative to `source_directory`.
        arguments: command-line arguments: strings, numbers and dataset inputs
            (`dataset.as_named_input('name')`, optionally `.as_download()` / `.as_mount()`).
        run_config: a `RunConfiguration` (its target and environment are used unless overridden).
        compute_target: a compute target object or name ('local' when omitted).
        environment: the `Environment` (recorded; the script runs in this interpreter).
        max_run_duration_seconds: the longest the run may take.
        command: a command line instead of a script (not simulated).
        docker_runtime_config: a `DockerConfiguration` (recorded).
    """

    def __init__(self, source_directory, script=None, arguments=None, run_config=None, _telemetry_values=None,
                 compute_target=None, environment=None, distributed_job_config=None, resume_from=None,
                 max_run_duration_seconds=2592000, command=None, docker_runtime_config=None):
        self.source_directory = source_directory
        self.script = script
        self.command = command
        self.arguments = list(arguments or [])
        self.run_config = run_config if run_config is not None else RunConfiguration()
        self.run_config.script = script
        self.run_config.arguments = self.arguments
        if compute_target is not None:
            self.run_config.target = compute_target
        if environment is not None:
            self.run_config.environment = environment
        if docker_runtime_config is not None:
            self.run_config.docker = docker_runtime_config
        self.run_config.max_run_duration_seconds = max_run_duration_seconds
        self.distributed_job_config = distributed_job_config
        self.resume_from = resume_from
        self.max_run_duration_seconds = max_run_duration_seconds

    @property
    def identity(self):
        """The configuration's logging identity (the SDK's ChainedIdentity name)."""
        return f"ScriptRunConfig#{self.script}"

    def _submit_to(self, experiment, tags=None, **kwargs):
        """Submit to `experiment` (called by `Experiment.submit`); returns the `ScriptRun`."""
        import sim.cloud.runs.jobs
        from sim.azureml._common.cloud import cloud, in_process
        from sim.azureml.core.script_run import ScriptRun

        jobs = cloud(sim.cloud.runs.jobs)

        if self.script is None:
            from sim.azureml._common.not_simulated import not_simulated

            not_simulated("ScriptRunConfig(command=...) without a script")
        self._check_arguments()
        # Absolute: the service, which snapshots the folder, has another working folder.
        spec = {"source_directory": os.path.abspath(os.fspath(self.source_directory)), "script": self.script,
                "target": _target_name(self.run_config.target), "environment": self._environment_definition(),
                "max_run_duration_seconds": self.max_run_duration_seconds}
        record = experiment.workspace._record
        if self._has_dataset_inputs():  # datasets: made in the job's folder
            if in_process():
                run_id = jobs.submit(record, experiment.name, spec, self._build_arguments, tags=tags)
            else:  # the service makes the job's folder: it is told what to put there
                run_id = jobs.submit_with_inputs(record, experiment.name, spec, self._placement_requests(), tags=tags,
                                                 **self._inputs_outside_argv())
        else:
            run_id = jobs.submit_script(record, experiment.name, spec, [str(v) for v in self.arguments], tags=tags)
        return ScriptRun(experiment, run_id, directory=self.source_directory, _run_config=self.run_config)

    def _environment_definition(self) -> dict:
        env = self.run_config.environment
        definition = env._to_definition() if hasattr(env, "_to_definition") else {"name": str(env)}
        if self.run_config.docker is not None:
            definition["dockerRuntime"] = self.run_config.docker._to_dict()
        return definition

    def _check_arguments(self) -> None:
        """Reject argument types a job cannot receive, before any run is created."""
        for index, value in enumerate(self.arguments):
            if not (isinstance(value, str | numbers.Number) or hasattr(value, "_materialize")):
                from sim.azureml.exceptions import RunConfigurationException
                from sim.messages import BAD_ARGUMENT

                raise RunConfigurationException(BAD_ARGUMENT.format(type_name=type(value).__name__, index=index))

    def _has_dataset_inputs(self) -> bool:
        return any(hasattr(value, "_materialize") for value in self.arguments)

    def _placement_requests(self) -> list:
        """The arguments as the service puts them in place (`jobs.submit_with_inputs`)."""
        return [{"input": v._placement_request()} if hasattr(v, "_placement_request") else str(v)
                for v in self.arguments]

    def _inputs_outside_argv(self) -> dict:
        """Keyword arguments of `jobs.submit_with_inputs` for inputs the script gets outside its argv (none here;
        an Estimator has some)."""
        return {}

    def _build_arguments(self, work_dir):
        """The script's argv (as strings) and its dataset inputs, materialized in the job's folder."""
        argv, inputs = [], []
        for value in self.arguments:
            if hasattr(value, "_materialize"):
                spec = value._materialize(work_dir)
                inputs.append(spec)
                argv.append(str(spec["argument"]))
            else:
                argv.append(str(value))
        return argv, inputs

    def __repr__(self):
        return (f"ScriptRunConfig(source_directory={self.source_directory!r}, script={self.script!r}, "
                f"arguments={self.arguments!r}, target={_target_name(self.run_config.target)!r})")


def _target_name(target) -> str:
    """A compute target given as an object or a name, as its name."""
    if target is None:
        return "local"
    return target if isinstance(target, str) else getattr(target, "name", str(target))


__all__ = ["ScriptRunConfig"]

