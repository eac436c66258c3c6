"""Helpers of `azureml.core.run`: the offline run, image capture, log streaming, the job's workspace."""

from __future__ import annotations

import io
import os
import uuid


class _OfflineRun:
    """What `Run.get_context()` returns outside a submitted job: it prints what it would have logged.

    The real SDK behaves the same way, so a training script can be tried locally before submitting.
    """

    def __init__(self):
        self._run_id = f"OfflineRun_{uuid.uuid4()}"
        self._metrics: dict = {}
        self._tags: dict = {}
        self._properties: dict = {}

    @property
    def id(self):
        """The offline run's id."""
        return self._run_id

    @property
    def experiment(self):
        """Offline runs have no experiment."""
        from sim.azureml.exceptions import RunEnvironmentException
        from sim.messages import RUN_OFFLINE_ONLY

        raise RunEnvironmentException(exception_message=RUN_OFFLINE_ONLY.format(member="run.experiment"))

    @property
    def input_datasets(self):
        """Offline runs have no dataset inputs."""
        return {}

    def _note(self, kind, name, value):
        print(f"Attempted to log {kind} metric {name}:\n{value}")
        self._metrics.setdefault(name, []).append(value)

    def log(self, name, value, description="", step=None):
        """Print the value instead of logging it."""
        self._note("scalar", name, value)

    def log_list(self, name, value, description=""):
        """Print the list instead of logging it."""
        self._note("list", name, value)

    def log_row(self, name, description=None, **kwargs):
        """Print the row instead of logging it."""
        self._note("row", name, kwargs)

    def log_table(self, name, value, description=""):
        """Print the table instead of logging it."""
        self._note("table", name, value)

    def log_image(self, name, path=None, plot=None, description=""):
        """Print what image would have been logged."""
        self._note("image", name, path if path is not None else plot)

    def get_metrics(self, name=None, recursive=False, run_type=None, populate=False):
        """What this offline run was asked to log (kept in memory only)."""
        shaped = {k: v[0] if len(v) == 1 else v for k, v in self._metrics.items()}
        return shaped if name is None else {k: v for k, v in shaped.items() if k == name}

    def tag(self, key, value=None):
        """Keep a tag in memory."""
        self._tags[key] = value

    def set_tags(self, tags):
        """Keep tags in memory."""
        self._tags.update(tags)

    def get_tags(self):
        """Tags set on this offline run."""
        return dict(self._tags)

    def add_properties(self, properties):
        """Keep properties in memory."""
        self._properties.update(properties)

    def upload_file(self, name, path_or_stream, datastore_name=None):
        """Print what would have been uploaded."""
        print(f"Attempted to upload file {path_or_stream} as {name}")

    def flush(self, timeout_seconds=300):
        """Nothing to write offline."""

    def complete(self, _set_status=True):
        """Nothing to complete offline."""

    def fail(self, error_details=None, error_code=None, _set_status=True):
        """Print the failure."""
        print(f"Attempted to fail the run: {error_details}")

    def get_status(self):
        """An offline run is always Running."""
        return "Running"

    def get_secret(self, name):
        """Secrets need a workspace: read them from the submitted run instead."""
        from sim.azureml.exceptions import RunEnvironmentException
        from sim.messages import RUN_OFFLINE_ONLY

        raise RunEnvironmentException(exception_message=RUN_OFFLINE_ONLY.format(member="run.get_secret"))

    def __repr__(self):
        return f"_OfflineRun(Id: {self._run_id})"


def image_bytes(plot) -> bytes:
    """PNG bytes of a matplotlib Figure, or of pyplot's current figure when given the pyplot module."""
    figure = plot.gcf() if hasattr(plot, "gcf") else plot
    if not hasattr(figure, "savefig"):
        from sim.azureml.exceptions import UserErrorException
        from sim.messages import LOG_IMAGE_BAD_PLOT

        raise UserErrorException(LOG_IMAGE_BAD_PLOT.format(type_name=type(plot).__name__))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


class LogStreamer:
    """Prints a run's driver log as it grows, then an execution summary (`show_output=True`)."""

    def __init__(self, run):
        self.run = run
        self.offset = 0
        self.header_done = False
        print(f"RunId: {run.id}\nWeb View: {run.get_portal_url()}\n")

    def tick(self):
        """Print whatever the driver log gained since the last tick."""
        import sim.cloud.runs.files
        from sim.azureml._common.cloud import cloud

        files = cloud(sim.cloud.runs.files)
        new = files.read_from(self.run._record, self.run.id, files.DRIVER_LOG, self.offset)
        if new and not self.header_done:
            print(f"Streaming {files.DRIVER_LOG}\n{'=' * (10 + len(files.DRIVER_LOG))}\n")
            self.header_done = True
        if new:
            self.offset += len(new)
            print(new.decode(errors="replace"), end="")

    def summary(self):
        """Print the last lines of the log and the execution summary."""
        self.tick()
        print(f"\nExecution Summary\n=================\nRunId: {self.run.id}\nWeb View: "
              f"{self.run.get_portal_url()}\n")


def workspace_from_environment():
    """The workspace of the job this process runs (from the AZUREML_ARM_* variables Azure ML sets)."""
    from sim.azureml.core.workspace import Workspace

    return Workspace(os.environ["AZUREML_ARM_SUBSCRIPTION"], os.environ["AZUREML_ARM_RESOURCEGROUP"],
                     os.environ["AZUREML_ARM_WORKSPACE_NAME"])
