"""Simulated `azureml.core.webservice.webservice`: the Webservice base class and deployment configuration.

`Webservice(ws, name)` is a getter that returns the subclass matching the service's compute type, as in
the SDK. Calls reach the service's real HTTP server on 127.0.0.1 with `requests`.
"""

from __future__ import annotations

import json
import sys
from abc import ABC, abstractmethod
from datetime import UTC, datetime

import requests

import sim.cloud.services
from sim import messages
from sim.azureml._common.service_errors import v1_service
from sim.azureml.exceptions import WebserviceException

cloud = v1_service(sim.cloud.services)

ALL_WEBSERVICE_TYPES = ["ACI", "AKSENDPOINT", "AKS", "IOT", "MIR"]
LOCAL_TYPE = "Local"  # local services live on the learner's machine: the workspace's service list omits them
TIPS = ("Tips: You can try get_logs(): https://aka.ms/debugimage#dockerlog or local deployment: "
        "https://aka.ms/debugimage#debug-locally to debug if deployment takes longer than 10 minutes.")
_OPERATION_OF = {cloud.TRANSITIONING: "Running", cloud.HEALTHY: "Succeeded"}
_STEPS = ("Creating Container Registry if not exists.", "Registering the environment.",
          "Use the existing image.", "Generating deployment configuration.", "Submitting deployment to compute.",
          "Checking the status of deployment {name}..", "Checking the status of inference endpoint {name}.")


def _subclass_for(compute_type: str):
    for child in _all_subclasses(Webservice):
        if child._webservice_type == compute_type:
            return child
    from sim.azureml.core.webservice.unknown_webservice import UnknownWebservice

    return UnknownWebservice


def _all_subclasses(cls) -> set:
    return set(cls.__subclasses__()).union(s for c in cls.__subclasses__() for s in _all_subclasses(c))


class Webservice(ABC):
    """A deployed web service (the constructor gets an existing one by name).

    Args:
        workspace: the workspace holding the service.
        name: the service name.

    Raises:
        WebserviceException: WebserviceNotFound when no service has that name.
    """

    _expected_payload_keys = ["computeType", "createdTime", "description", "kvTags", "name", "properties"]
    _webservice_type = None

    def __new__(cls, workspace, name):
        if workspace and name:
            record = cloud.get(workspace._record, name)
            if record.compute_type == LOCAL_TYPE:
                raise WebserviceException(messages.SERVICE_NOT_FOUND.format(name=name), status_code=404)
            service = super().__new__(_subclass_for(record.compute_type))
            service._initialize(workspace, record)
            return service
        return super().__new__(cls)

    def __init__(self, workspace, name):  # noqa: B027 - a concrete no-op, as in the SDK
        pass  # __new__ did the work: the constructor is a getter

    def __repr__(self):
        return (f"{self.__class__.__name__}(workspace={getattr(self, 'workspace', None)!r}, "
                f"name={getattr(self, 'name', None)}, image_id={getattr(self, 'image_id', None)}, "
                f"image_digest={getattr(self, 'image_digest', None)}, "
                f"compute_type={getattr(self, 'compute_type', None)}, state={getattr(self, 'state', None)}, "
                f"scoring_uri={getattr(self, 'scoring_uri', None)}, tags={getattr(self, 'tags', None)}, "
                f"properties={getattr(self, 'properties', None)}, created_by={getattr(self, 'created_by', None)})")

    def _initialize(self, workspace, record) -> None:
        self._record = record
        self.workspace = workspace
        self.name = record.name
        self.compute_type = record.compute_type
        self.auth_enabled = record.auth_enabled
        self.created_time, self.updated_time = record.created_time, record.updated_time
        self.description, self.tags, self.properties = record.description, dict(record.tags), dict(
            record.properties)
        self.created_by = record.created_by
        self.error = record.error
        self.image = self.image_id = self.image_digest = None
        self.state = self._state_name(record.state)
        self.token_auth_enabled = False
        self._session = None

    def _state_name(self, state: str) -> str:
        return state

    # ---- state ----------------------------------------------------------------------------------------

    def update_deployment_state(self):
        """Refresh this object from the service's current state."""
        self._initialize(self.workspace, cloud.get(self.workspace._record, self.name))

    def wait_for_deployment(self, show_output=False, timeout_sec=None):
        """Wait until the deployment finishes; raise WebserviceException unless the service is Healthy."""
        if show_output:
            print(TIPS)
        printer = _ProgressPrinter(self.name) if show_output else None
        record = cloud.wait(self.workspace._record, self.name, float(timeout_sec) if timeout_sec else None,
                            printer)
        self._initialize(self.workspace, record)
        if record.state == cloud.TRANSITIONING:
            raise WebserviceException(messages.SERVICE_POLL_TIMEOUT.format(timeout=timeout_sec, state="Running"))
        if record.state != cloud.HEALTHY:
            error = json.dumps(record.error, indent=2) if record.error else "No error message received from server."
            raise WebserviceException(messages.SERVICE_POLL_FAILED.format(
                state=self.state, operation_id=record.operation_id, error=error))
        print(f'{self._webservice_type} service creation operation finished, operation "Succeeded"')

    # ---- calling --------------------------------------------------------------------------------------

    @property
    def _webservice_session(self):
        session = requests.Session()
        session.headers.update({"Content-Type": "application/json", "Accept": "application/json"})
        if self.auth_enabled:
            session.headers.update({"Authorization": "Bearer " + self.get_keys()[0]})
        self._session = session
        return session

    def _post(self, input_data):
        """POST to the scoring URI (retrying once after a restart moved the service); return the JSON."""
        if not getattr(self, "scoring_uri", None):
            raise WebserviceException(messages.SERVICE_NOT_READY.format(state=self.state, error=self.error))
        try:
            resp = self._webservice_session.post(self.scoring_uri, data=input_data, timeout=300)
        except requests.ConnectionError:
            old = self.scoring_uri
            self.update_deployment_state()
            if self._record.state == cloud.TRANSITIONING:
                self._initialize(self.workspace, cloud.wait(self.workspace._record, self.name, 120))
            if not self.scoring_uri or self.scoring_uri == old and self._record.state != cloud.HEALTHY:
                raise WebserviceException(messages.SERVICE_NOT_RESPONDING.format(
                    uri=old, error="connection refused", state=self.state)) from None
            resp = self._webservice_session.post(self.scoring_uri, data=input_data, timeout=300)
        if resp.status_code == 200:
            return resp.json()
        raise WebserviceException(messages.SERVICE_BAD_RESPONSE.format(
            code=resp.status_code, headers=resp.headers, content=resp.content), status_code=resp.status_code)

    @abstractmethod
    def run(self, input):
        """Call the service with `input` and return its answer."""

    def get_logs(self, num_lines=5000, init=False):
        """The service's log: start-up, init(), the script's prints, tracebacks and requests."""
        return cloud.logs(self.workspace._record, self.name, num_lines)

    def get_keys(self):
        """The (primary, secondary) keys of a service deployed with auth_enabled=True."""
        return cloud.keys(self.workspace._record, self.name)

    def regen_key(self, key, set_key=None):
        """Regenerate the 'Primary' or 'Secondary' key (or set it to `set_key`)."""
        cloud.regen_key(self.workspace._record, self.name, key, set_key)

    def get_token(self):
        """Token authentication is an AKS feature, not simulated."""
        raise NotImplementedError(messages.NOT_SIMULATED.format(member="Webservice.get_token"))

    @abstractmethod
    def update(self, *args):
        """Change the service (parameters vary by service type)."""

    def delete(self):
        """Stop and delete this service."""
        cloud.delete(self.workspace._record, self.name)
        self.state = "Deleting"

    # ---- listing and (de)serializing ------------------------------------------------------------------

    @staticmethod
    def list(workspace, compute_type=None, image_name=None, image_id=None, model_name=None, model_id=None,
             tags=None, properties=None, image_digest=None):
        """The workspace's services, filtered by every argument given."""
        if compute_type and compute_type.upper() not in ALL_WEBSERVICE_TYPES:
            raise WebserviceException(messages.SERVICE_COMPUTE_TYPE_INVALID.format(
                value=compute_type, options=",".join(ALL_WEBSERVICE_TYPES)))
        records = cloud.list_services(workspace._record, compute_type=compute_type, model_name=model_name,
                                      model_id=model_id, tags=tags, properties=properties)
        if image_name or image_id or image_digest:
            return []  # no service in the simulator is deployed from an image
        return [_wrap(workspace, r) for r in records if r.compute_type != LOCAL_TYPE]

    @staticmethod
    def check_for_existing_webservice(workspace, name, overwrite=False, request_func=None, check_func=None):
        """Raise WebserviceException when `name` is taken (unless overwrite)."""
        if not overwrite and any(s.name == name and s.compute_type != LOCAL_TYPE
                                 for s in cloud.list_services(workspace._record)):
            raise WebserviceException(messages.SERVICE_EXISTS.format(name=name))

    def serialize(self):
        """This service as the SDK's JSON dictionary."""
        return {"name": self.name, "description": self.description, "tags": self.tags,
                "properties": self.properties, "state": self.state,
                "createdTime": self.created_time.isoformat() if self.created_time else None,
                "updatedTime": self.updated_time.isoformat() if self.updated_time else None,
                "error": self.error, "computeType": self.compute_type, "workspaceName": self.workspace.name,
                "imageId": self.image_id, "imageDigest": self.image_digest, "imageDetails": None,
                "scoringUri": getattr(self, "scoring_uri", None), "createdBy": self.created_by}

    @classmethod
    def deserialize(cls, workspace, webservice_payload):
        """The service `serialize()` described, looked up again in `workspace`."""
        if "computeType" not in webservice_payload or "name" not in webservice_payload:
            raise WebserviceException(f"Invalid payload for {cls._webservice_type} webservice, missing computeType"
                                      f" or name:\n{webservice_payload}")
        return Webservice(workspace, webservice_payload["name"])

    # ---- image-based deployment (deprecated in the SDK, not simulated) --------------------------------

    @staticmethod
    def deploy(workspace, name, model_paths, image_config, deployment_config=None, deployment_target=None,
               overwrite=False):
        """Not simulated: image-based deployment (use Model.deploy)."""
        raise WebserviceException(messages.NOT_SIMULATED.format(member="Webservice.deploy"))

    @staticmethod
    def deploy_from_image(workspace, name, image, deployment_config=None, deployment_target=None,
                          overwrite=False):
        """Not simulated: image-based deployment (use Model.deploy)."""
        raise WebserviceException(messages.NOT_SIMULATED.format(member="Webservice.deploy_from_image"))

    @staticmethod
    def deploy_from_model(workspace, name, models, image_config, deployment_config=None, deployment_target=None,
                          overwrite=False):
        """Not simulated: image-based deployment (use Model.deploy)."""
        raise WebserviceException(messages.NOT_SIMULATED.format(member="Webservice.deploy_from_model"))

    @staticmethod
    def deploy_local_from_model(workspace, name, models, image_config, deployment_config=None, wait=False):
        """Not simulated: image-based local deployment (use Model.deploy with LocalWebservice config)."""
        raise WebserviceException(messages.NOT_SIMULATED.format(member="Webservice.deploy_local_from_model"))


def _wrap(workspace, record) -> Webservice:
    service = object.__new__(_subclass_for(record.compute_type))
    service._initialize(workspace, record)
    return service


class _ProgressPrinter:
    """Prints the deployment operation's progress the way wait_for_deployment(show_output=True) does."""

    def __init__(self, name: str):
        self.name = name

    def __call__(self, state: str) -> None:
        operation = _OPERATION_OF.get(state, "Failed")
        sys.stdout.write(f"{operation}\n")
        if operation == "Running":
            stamp = datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S%z")
            for step in _STEPS:
                sys.stdout.write(f"{stamp} {step.format(name=self.name)}\n")
        sys.stdout.flush()


class WebserviceDeploymentConfiguration(ABC):
    """Base of the deployment configurations (what resources and options a service gets).

    Args:
        type: the Webservice subclass this configuration deploys.
        description, tags, properties, primary_key, secondary_key, location: common options.
    """

    _webservice_type = None

    def __init__(self, type, description=None, tags=None, properties=None, primary_key=None, secondary_key=None,
                 location=None):
        self._webservice_type = type
        self.description = description
        self.tags = tags
        self.properties = properties
        self.primary_key = primary_key
        self.secondary_key = secondary_key
        self.location = location

    @abstractmethod
    def validate_configuration(self):
        """Raise WebserviceException when a value is invalid."""

    @abstractmethod
    def print_deploy_configuration(self):
        """Print the configuration."""
