"""Simulated `azureml.core.profile`: ModelProfile, the result of `Model.profile`.

The profile itself is run by `sim.cloud.services.profile_model` (the model's real scoring server, real requests,
latency and /proc measurements); this class reads its record with the SDK's attribute names, and `get_details()`
returns the keys the real one returns: on success the measured metrics and the recommendation, otherwise the
request, the state and the error (with `errorLogsUri`).
"""

from __future__ import annotations

import sys
import warnings
from datetime import datetime

import sim.cloud.services
from sim import messages
from sim.azureml._common.service_errors import v1_service
from sim.azureml.exceptions import UserErrorException

cloud = v1_service(sim.cloud.services)

__all__ = ["ModelProfile"]

_TERMINAL = ("Cancelled", "Succeeded", "Failed", "TimedOut")

# The record's keys and the attributes the SDK names them by.
_ATTRIBUTES = {
    "id": "id", "name": "name", "description": "description", "state": "state", "modelIds": "model_ids",
    "inputDatasetId": "input_dataset_id", "requestedQueriesPerSecond": "requested_queries_per_second",
    "maxUtilizedMemoryInGB": "max_utilized_memory", "maxUtilizedCpu": "max_utilized_cpu",
    "measuredQueriesPerSecond": "measured_queries_per_second", "environment": "environment", "error": "error",
    "errorLogsUri": "error_logs_url", "totalQueries": "total_queries", "successQueries": "success_queries",
    "successRate": "success_rate", "averageLatencyInMs": "average_latency_in_ms",
    "latencyPercentile50InMs": "latency_percentile_50_in_ms", "latencyPercentile90InMs": "latency_percentile_90_in_ms",
    "latencyPercentile95InMs": "latency_percentile_95_in_ms", "latencyPercentile99InMs": "latency_percentile_99_in_ms",
    "latencyPercentile999InMs": "latency_percentile_999_in_ms", "recommendedMemoryInGB": "recommended_memory",
    "recommendedCpu": "recommended_cpu",
}

_DETAILS_SUCCESS = (
    "requestedCpu", "requestedMemoryInGB", "requestedQueriesPerSecond", "maxUtilizedMemoryInGB", "maxUtilizedCpu",
    "totalQueries", "successQueries", "successRate", "averageLatencyInMs", "latencyPercentile50InMs",
    "latencyPercentile90InMs", "latencyPercentile95InMs", "latencyPercentile99InMs", "latencyPercentile999InMs",
    "measuredQueriesPerSecond", "state", "name", "description", "createdTime", "error", "recommendedMemoryInGB",
    "recommendedCpu",
)
_DETAILS_ERROR = ("name", "description", "state", "requestedCpu", "requestedMemoryInGB", "requestedQueriesPerSecond",
                  "error", "errorLogsUri", "createdTime")


class ModelProfile:
    """The results of a profiling run: a resource recommendation for a model (from `Model.profile`).

    Args:
        workspace: the workspace holding the profile.
        name: the profile name (the constructor is a getter; WebserviceException when there is none).
    """

    def __init__(self, workspace, name):
        self.workspace, self.name = workspace, name
        self.create_operation_id = None
        self._initialize({})
        if workspace and name:
            self._update_creation_state()

    def _initialize(self, data: dict) -> None:
        name = data.get("name", self.name)
        for key, attribute in _ATTRIBUTES.items():
            setattr(self, attribute, data.get(key))
        self.name = name
        created = data.get("createdTime")
        self.created_time = datetime.fromisoformat(created) if created else None
        requirements = data.get("containerResourceRequirements") or {}
        self.requested_cpu = requirements.get("cpu")
        self.requested_memory_in_gb = requirements.get("memoryInGB")

    def _update_creation_state(self) -> None:
        """Read the stored record again."""
        self._initialize(cloud.get_profile(self.workspace._record, self.name))

    def wait_for_completion(self, show_output=False):
        """Wait for the model to finish profiling (a Failed profile warns with its error).

        Args:
            show_output: print the states it passes through.
        """
        if not (self.workspace and self.create_operation_id):
            raise UserErrorException(messages.PROFILE_WAIT_UNCREATED)
        self._update_creation_state()
        if show_output:
            sys.stdout.write(f"{self.state}\n")
            sys.stdout.flush()
        if self.state == "Failed":
            warnings.warn(messages.PROFILE_FAILED_WARNING.format(
                message=(self.error or {}).get("message"), request_id=self.create_operation_id),
                category=UserWarning, stacklevel=2)

    def wait_for_profiling(self, show_output=False):
        """Deprecated name of wait_for_completion."""
        self.wait_for_completion(show_output)

    def serialize(self):
        """This profile as a JSON-serialisable dict (the service's keys)."""
        data = {key: getattr(self, attribute) for key, attribute in _ATTRIBUTES.items()}
        data.update(createdTime=self.created_time.isoformat() if self.created_time else None,
                    requestedCpu=self.requested_cpu, requestedMemoryInGB=self.requested_memory_in_gb)
        return data

    def get_details(self):
        """The observed metrics (latency percentiles, CPU and memory used) and the recommended CPU and memory
        when the profile succeeded; otherwise the request, the state and the error."""
        data = self.serialize()
        keys = _DETAILS_SUCCESS if data["state"] == "Succeeded" else _DETAILS_ERROR
        return {k: v for k, v in data.items() if v is not None and k in keys}

    def get_results(self):
        """Deprecated name of get_details."""
        return self.get_details()

    def __repr__(self):
        fields = [f"workspace={self.workspace!r}"]
        fields += [f"{k}={v}" for k, v in self.__dict__.items() if not k.startswith("_") and k != "workspace"]
        return f"ModelProfile({', '.join(fields)})"
