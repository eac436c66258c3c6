"""Simulated `azureml.core.run`: `Run`, the record of one trial (interactive, submitted or child).

Every method is a few lines over `sim.cloud.runs`; a run is an MLflow run in the workspace's store.
Inside a script started by `experiment.submit(...)`, `Run.get_context()` returns that run
(`_SubmittedRun`); anywhere else it returns an offline run that prints what it would have logged.
"""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import sim.cloud.keyvault
import sim.cloud.runs.files
import sim.cloud.runs.interactive
import sim.cloud.runs.jobs
import sim.cloud.runs.lifecycle
import sim.cloud.runs.metrics
import sim.cloud.runs.naming
import sim.cloud.runs.state
from sim import messages
from sim.azureml._common.service_errors import v1_service
from sim.azureml.core._portal import HasRunPortal
from sim.azureml.core._run_extras import _RunExtras
from sim.azureml.core._run_offline import _OfflineRun
from sim.azureml.exceptions import UserErrorException

DOCS = "https://learn.microsoft.com/python/api/azureml-core/"
_context = {}  # the submitted run of this process (a job process has exactly one)
files, interactive, jobs, lifecycle, metrics, naming, state = (v1_service(module) for module in (  # SDK exceptions
    sim.cloud.runs.files, sim.cloud.runs.interactive, sim.cloud.runs.jobs, sim.cloud.runs.lifecycle,
    sim.cloud.runs.metrics, sim.cloud.runs.naming, sim.cloud.runs.state))


class Run(_RunExtras, HasRunPortal):
    """One run of an experiment.

    Args:
        experiment: the experiment that holds the run.
        run_id: the run's id.
        outputs: a local folder to track: its files are copied into the run's files when this object
            completes or fails the run (None or False: nothing is tracked).
    """

    def __init__(self, experiment, run_id, outputs=None, **kwargs):
        self._experiment = experiment
        self._run_id = run_id
        # A listing passes the record it has just read (`_row`), so a page of runs costs no query per run.
        self._row = kwargs.get("_row") or lifecycle.record_of(self._record, run_id)
        self._buffer = None
        self._outputs = outputs or None

    def __enter__(self):
        """Start tracking: `with experiment.start_logging() as run:` ends the run when the block ends."""
        return self

    def __exit__(self, exit_type, value, traceback):
        """Complete the run, or fail it with the block's exception; collect tracked outputs either way."""
        if self.get_status() in state.TERMINAL:  # the block already ended the run itself
            return False
        if exit_type is None:
            self.complete()
        else:
            self.fail(error_details=f"{exit_type.__name__}: {value}")
        return False

    @property
    def _record(self):
        return self._experiment.workspace._record

    @classmethod
    def _rehydrate(cls, experiment, row):
        """The right Run class for a stored run (a ScriptRun for scripts, else a registered type provider's)."""
        from sim.azureml.core._run_extras import type_provider

        provider = type_provider(row["run_type"])
        if provider is not None:  # a learner's factory takes (experiment, run_id) only; Run classes take the row
            if isinstance(provider, type) and issubclass(provider, Run):
                return provider(experiment, row["run_id"], _row=row)
            return provider(experiment, row["run_id"])
        if row["run_type"] == state.SCRIPT:
            from sim.azureml.core.script_run import ScriptRun

            return ScriptRun(experiment, row["run_id"], _row=row)
        return Run(experiment, row["run_id"], _row=row)

    # ---- context -----------------------------------------------------------------------------------
    @classmethod
    def get_context(cls, allow_offline=True, used_for_context_manager=False, **kwargs):
        """The run this code executes in: the submitted run inside a job, else an offline run.

        Raises:
            RunEnvironmentException: outside a job when `allow_offline` is False.
        """
        run_id = os.environ.get("AZUREML_RUN_ID")
        if run_id:
            if _context.get("run_id") != run_id:
                _context.update(run_id=run_id, run=_SubmittedRun._from_environment(run_id))
            return _context["run"]
        if not allow_offline:
            from sim.azureml.exceptions import RunEnvironmentException

            raise RunEnvironmentException()
        return _OfflineRun()

    @classmethod
    def get_docs_url(cls):
        """The documentation page of this class."""
        return DOCS + "azureml.core.run.run"

    @staticmethod
    def get(workspace, run_id):
        """The run with this id in the workspace."""
        row = lifecycle.record_of(workspace._record, run_id)
        from sim.azureml.core.experiment import Experiment

        return Run._rehydrate(Experiment(workspace, row["experiment"]), row)

    @staticmethod
    def get_active_runs(workspace):
        """Yield the workspace's runs that have not finished (any experiment), oldest first."""
        from sim.azureml.core._run_extras import active_runs

        return active_runs(workspace)

    # ---- identity ----------------------------------------------------------------------------------
    @property
    def id(self):
        """The run id."""
        return self._run_id

    @property
    def number(self):
        """The run's number within its experiment (1, 2, ...)."""
        return self._row["number"]

    @property
    def experiment(self):
        """The experiment that holds the run."""
        return self._experiment

    @property
    def type(self):
        """The run type ('azureml.scriptrun' for submitted scripts, 'experimentrun' for interactive ones)."""
        return self._row["run_type"]

    @property
    def status(self):
        """The run's current status."""
        return self.get_status()

    @property
    def display_name(self):
        """The run's display name."""
        return naming.display_name(self._record, self._run_id)

    @display_name.setter
    def display_name(self, value):
        naming.set_display_name(self._record, self._run_id, str(value))

    @property
    def name(self):
        """DEPRECATED (use display_name): the run's display name."""
        return self.display_name

    @property
    def description(self):
        """The run's description."""
        return naming.description(self._record, self._run_id)

    @description.setter
    def description(self, value):
        naming.set_description(self._record, self._run_id, str(value))

    @property
    def parent(self):
        """The parent run, or None for a top-level run."""
        parent_id = self._row["parent_run_id"]
        return Run(self._experiment, parent_id) if parent_id else None

    # ---- metrics -----------------------------------------------------------------------------------
    def _log(self, name, kind, value, step=None):
        metrics.check_name(name)
        if self._buffer is None:
            self._buffer = _metric_journal(self._record, self._run_id)
        self._buffer.add(name, kind, value, step)

    def log(self, name, value, description="", step=None):
        """Log one value of a metric (a number, string or bool); logging a name again makes a list."""
        if not (metrics.is_number(value) or isinstance(value, str | bool)):
            raise UserErrorException(messages.LOG_BAD_VALUE.format(
                name=name, problem=f"a {type(value).__name__} is not a scalar"))
        self._log(name, "scalar", value, step)

    def log_list(self, name, value, description=""):
        """Log a list of values under one metric name."""
        self._log(name, "list", list(metrics.plain(list(value))))

    def log_row(self, name, description=None, **kwargs):
        """Log one row (column=value keyword arguments) of a table metric."""
        self._log(name, "row", dict(kwargs))

    def log_table(self, name, value, description=""):
        """Log a table given as a dict of column name to list of values."""
        if not isinstance(value, dict):
            raise UserErrorException(messages.LOG_BAD_VALUE.format(name=name, problem="a table is a dict of lists"))
        self._log(name, "table", {k: list(metrics.plain(list(v))) for k, v in value.items()})

    def log_image(self, name, path=None, plot=None, description=""):
        """Log an image: a file at `path` or a matplotlib figure/pyplot `plot`, kept as a run file."""
        from sim.azureml.core._run_offline import image_bytes

        if (path is None) == (plot is None):
            from sim.azureml.exceptions import UserErrorException
            from sim.messages import LOG_IMAGE_ONE_SOURCE

            raise UserErrorException(LOG_IMAGE_ONE_SOURCE)
        if path is not None:
            file_name = f"{name}_{int(time.time() * 1000)}{os.path.splitext(str(path))[1] or '.png'}"
            files.upload_file(self._record, self._run_id, file_name, _here(path))
        else:
            file_name = f"{name}_{int(time.time() * 1000)}.png"
            files.upload_file(self._record, self._run_id, file_name, io.BytesIO(image_bytes(plot)))
        self._log(name, "image", f"aml://artifactId/ExperimentRun/dcid.{self._run_id}/{file_name}")

    def log_confusion_matrix(self, name, value, description=""):
        """Log a confusion matrix (a dict in the SDK's schema, or its JSON text)."""
        self._log(name, "json", json.loads(value) if isinstance(value, str) else value)

    def log_accuracy_table(self, name, value, description=""):
        """Log an accuracy table (a dict in the SDK's schema, or its JSON text)."""
        self._log(name, "json", json.loads(value) if isinstance(value, str) else value)

    def log_predictions(self, name, value, description=""):
        """Log regression predictions (a dict in the SDK's schema, or its JSON text)."""
        self._log(name, "json", json.loads(value) if isinstance(value, str) else value)

    def log_residuals(self, name, value, description=""):
        """Log regression residuals (a dict in the SDK's schema, or its JSON text)."""
        self._log(name, "json", json.loads(value) if isinstance(value, str) else value)

    def flush(self, timeout_seconds=300):
        """Write the metrics this object has logged into the run (its journal is settled and removed)."""
        if self._buffer is not None:
            self._buffer.close()

    def get_metrics(self, name=None, recursive=False, run_type=None, populate=False):
        """The run's metrics: a scalar per metric logged once, a list for many, a dict of lists for tables.

        Args:
            name: only this metric.
            recursive: return {run_id: metrics} for this run and all its descendants.
            run_type: with recursive, only runs of this type.
            populate: accepted for parity.
        """
        metrics.flush_all()
        if not recursive:
            return metrics.get_metrics(self._record, self._run_id, name)
        runs = [self, *self.get_children(recursive=True)]
        return {r.id: r.get_metrics(name) for r in runs if run_type is None or r.type == run_type}

    # ---- tags and properties -----------------------------------------------------------------------
    @property
    def tags(self):
        """The run's tags (mutable)."""
        return self.get_tags()

    @property
    def properties(self):
        """The run's properties (immutable once set)."""
        return self.get_properties()

    def tag(self, key, value=None):
        """Set one tag on the run."""
        lifecycle.set_tags(self._record, self._run_id, {key: value})

    def set_tags(self, tags):
        """Set several tags on the run."""
        lifecycle.set_tags(self._record, self._run_id, dict(tags))

    def remove_tags(self, tags):
        """Remove tags from the run."""
        lifecycle.remove_tags(self._record, self._run_id, tags)

    def get_tags(self):
        """The run's tags as a dict."""
        return lifecycle.tags(self._record, self._run_id)

    def add_properties(self, properties):
        """Add immutable properties (an existing key cannot change its value)."""
        self._row["properties"] = state.add_properties(self._record, self._run_id, dict(properties))

    def get_properties(self):
        """The run's properties as a dict."""
        return dict(lifecycle.record_of(self._record, self._run_id)["properties"] or {})

    # ---- files -------------------------------------------------------------------------------------
    def upload_file(self, name, path_or_stream, datastore_name=None):
        """Upload a local file (or a stream) into the run's files under `name`."""
        files.upload_file(self._record, self._run_id, name, _here(path_or_stream))

    def upload_files(self, names, paths, return_artifacts=False, timeout_seconds=None, datastore_name=None):
        """Upload several files: `names[i]` takes the content of `paths[i]`."""
        for name, path in zip(names, paths, strict=True):
            files.upload_file(self._record, self._run_id, name, _here(path))

    def upload_folder(self, name, path, datastore_name=None):
        """Upload every file below a local folder, under the prefix `name`."""
        files.upload_folder(self._record, self._run_id, name, _here(path))

    def get_file_names(self):
        """The names of the run's files (e.g. 'outputs/model.pkl')."""
        return files.names(self._record, self._run_id)

    def download_file(self, name, output_file_path=None, _validate_checksum=False):
        """Download one run file to a local path (a folder keeps the file's name)."""
        files.download_file(self._record, self._run_id, name, _here(output_file_path or "."))

    def download_files(self, prefix=None, output_directory=None, output_paths=None, batch_size=100,
                       append_prefix=True, timeout_seconds=None):
        """Download the run files under `prefix` into `output_directory`, keeping their paths."""
        files.download_files(self._record, self._run_id, prefix, _here(output_directory or "."),
                             [_here(p) for p in output_paths] if output_paths else None, append_prefix)

    def get_all_logs(self, destination=None):
        """Download the run's log files into `destination` (default: the current folder); returns paths."""
        out = _here(destination or ".")
        return [files.download_file(self._record, self._run_id, n, os.path.join(out, n))
                for n in files.log_names(self._record, self._run_id)]

    # ---- status and details ------------------------------------------------------------------------
    def get_status(self):
        """The run's status: NotStarted, Starting, Preparing, Queued, Running, Finalizing, then Completed, Failed
        or Canceled."""
        return lifecycle.status(self._record, self._run_id)

    def get_details(self):
        """The run's details: id, target, status, times, properties, inputs, definition, log file names."""
        return lifecycle.details(self._record, self._run_id)

    def get_details_with_logs(self):
        """The run's details with the text of each log file."""
        return lifecycle.details(self._record, self._run_id, with_log_text=True)

    def complete(self, _set_status=True):
        """Mark the run Completed (after writing its buffered metrics and collecting tracked outputs)."""
        self.flush()
        self._collect_outputs()
        if _set_status:
            interactive.complete(self._record, self._run_id)

    def fail(self, error_details=None, error_code=None, _set_status=True):
        """Mark the run Failed with an error message and code (tracked outputs are still collected)."""
        self.flush()
        self._collect_outputs()
        error = {"error": {"code": error_code or "UserError", "message": str(error_details or "Run failed.")}}
        if _set_status:
            interactive.fail(self._record, self._run_id, error)

    def _collect_outputs(self) -> None:
        if self._outputs is not None:
            files.copy_tree_into(self._record, self._run_id, Path(_here(self._outputs)),
                                 _outputs_prefix(self._outputs))

    def cancel(self):
        """Cancel the run (a running job is stopped)."""
        self.flush()
        jobs.cancel(self._record, self._run_id)

    def wait_for_completion(self, show_output=False, wait_post_processing=False, raise_on_error=True):
        """Block until the run finishes; returns its details.

        Args:
            show_output: stream the driver log and print an execution summary.
            wait_post_processing: accepted for parity.
            raise_on_error: raise `ActivityFailedException` when the run failed.
        """
        from sim.azureml.core._run_offline import LogStreamer

        streamer = LogStreamer(self) if show_output else None
        jobs.wait(self._record, self._run_id, on_tick=streamer.tick if streamer else None)
        if streamer:
            streamer.summary()
        details = self.get_details()
        if raise_on_error and details["status"] == state.FAILED:
            from sim.azureml.exceptions import ActivityFailedException

            raise ActivityFailedException(error_details=json.dumps(details.get("error", {}), indent=4))
        return details

    # ---- children ----------------------------------------------------------------------------------
    def child_run(self, name=None, run_id=None, outputs=None):
        """Start a child run of this run (interactive, Running); `run_id` names it, else it gets a GUID.

        `outputs` is a local folder the child tracks, as in `Experiment.start_logging`.
        """
        row = interactive.start(self._record, self._experiment.name, parent_run_id=self._run_id, display_name=name,
                                run_id=run_id)
        return Run(self._experiment, row["run_id"], outputs=outputs)

    def get_children(self, recursive=False, tags=None, properties=None, type=None, status=None,
                     _rehydrate_runs=True):
        """The run's child runs, oldest first (all descendants with `recursive`)."""
        from sim.azureml.core.experiment import _filtered

        rows = lifecycle.list_runs(self._record, self._experiment.name, parent_run_id=self._run_id)[::-1]
        wanted = {row["run_id"] for row in _filtered(self._record, [rows], tags, properties)
                  if type is None or row["run_type"] == type}
        found = []
        for row in rows:
            child = Run._rehydrate(self._experiment, row)
            if row["run_id"] in wanted and (status is None or child.get_status() == status):
                found.append(child)
            if recursive:
                found.extend(child.get_children(True, tags, properties, type, status))
        return found

    # ---- models and secrets ------------------------------------------------------------------------
    def register_model(self, model_name, model_path=None, tags=None, properties=None, model_framework=None,
                       model_framework_version=None, description=None, datasets=None, sample_input_dataset=None,
                       sample_output_dataset=None, resource_configuration=None, **kwargs):
        """Register a model from the run's files (e.g. 'outputs/model.pkl'); returns the Model."""
        from sim.azureml.core.model import Model

        return Model._register_from_run(self, model_name, model_path, tags=tags, properties=properties,
                                        description=description, model_framework=model_framework,
                                        model_framework_version=model_framework_version, datasets=datasets,
                                        sample_input_dataset=sample_input_dataset,
                                        sample_output_dataset=sample_output_dataset,
                                        resource_configuration=resource_configuration, **kwargs)

    def get_secret(self, name):
        """A secret from the workspace's default key vault."""
        return v1_service(sim.cloud.keyvault).get_secret(self._record, name)

    def get_secrets(self, secrets):
        """Several secrets from the workspace's default key vault, as {name: value}."""
        return {name: self.get_secret(name) for name in secrets}

    def get_environment(self):
        """The environment the run was submitted with."""
        from sim.azureml.core.environment import Environment

        definition = (self._row.get("definition") or {}).get("environment") or {}
        return Environment._from_definition(definition) if definition else None

    def __repr__(self):
        return (f"Run(Experiment: {self._experiment.name},\nId: {self._run_id},\nType: {self.type},\n"
                f"Status: {self.get_status()})")


class _SubmittedRun(Run):
    """The run a submitted script executes in (what `Run.get_context()` returns inside a job)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

    @classmethod
    def _from_environment(cls, run_id):
        from sim.azureml.core._run_offline import workspace_from_environment
        from sim.azureml.core.experiment import Experiment

        workspace = workspace_from_environment()
        experiment = Experiment(workspace, os.environ["AZUREML_ARM_PROJECT_NAME"])
        return cls(experiment, run_id)

    @property
    def input_datasets(self):
        """The script's named inputs: {name: TabularDataset or local path}, from `as_named_input(name)`."""
        from sim.azureml.data import _input_from_spec

        return {spec["name"]: _input_from_spec(spec["input"]) for spec in _job_inputs() if not _is_output(spec)}

    @property
    def output_datasets(self):
        """The script's outputs (OutputFileDatasetConfig arguments): {name: the folder to write to}."""
        return {spec["name"]: spec["argument"] for spec in _job_inputs() if _is_output(spec)}

    def complete(self, _set_status=True):
        """Write buffered metrics; the job itself records Completed when the script ends."""
        self.flush()


def _here(path_or_stream):
    """A local path made absolute (the service, which may do the copying, has another working folder); a stream
    as it is."""
    if hasattr(path_or_stream, "read"):
        return path_or_stream
    return os.path.abspath(os.fspath(path_or_stream))


def _metric_journal(record, run_id):
    """Where `run.log` writes: the workspace's journal here, or one the service made (process mode)."""
    from sim.azureml._common.cloud import in_process

    if in_process():
        return metrics.MetricJournal(record, run_id)
    from sim.azureml.core._metric_journal import ServiceMetricJournal

    return ServiceMetricJournal(record, run_id)


def _outputs_prefix(folder) -> str:
    """Where a tracked folder's files go among the run's files: its path from here ('outputs'), else its name."""
    path = Path(os.fspath(folder)).resolve()
    try:
        relative = path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path.name
    return relative.as_posix() if relative.parts else path.name


def _job_inputs() -> list[dict]:
    """The materialized script arguments of this job (datasets and outputs), from its job file."""
    job_file = os.environ.get("DP100_SIM_JOB")
    if not job_file:
        return []
    with open(job_file) as handle:
        return json.load(handle).get("inputs", [])


def _is_output(spec: dict) -> bool:
    return bool(spec.get("output")) or (spec.get("input") or {}).get("mode") in ("output", "reference")


def get_run(experiment, run_id, rehydrate=True, clean_up=True):
    """The run with this id in the experiment (`azureml.core.get_run`)."""
    return Run._rehydrate(experiment, lifecycle.record_of(experiment.workspace._record, run_id))


__all__ = ["Run", "_OfflineRun", "_SubmittedRun", "get_run"]
