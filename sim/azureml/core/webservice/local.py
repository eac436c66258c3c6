"""Simulated `azureml.core.webservice.local`: a service on the learner's own machine (Docker in the SDK).

Here it is the same kind of scoring server as an ACI service, on 127.0.0.1 at the port asked for (or a free
one); where the server runs sandboxed beside the simulated Azure, a relay in this process answers on that port
(`_local_port`). States use the local service's own lower-case names: deploying, running, failed, deleted, unknown.
"""

from __future__ import annotations

import functools

import sim.cloud.services
from sim import messages
from sim.azureml._common.service_errors import v1_service
from sim.azureml.core.webservice import _local_port
from sim.azureml.core.webservice.webservice import Webservice, WebserviceDeploymentConfiguration
from sim.azureml.exceptions import WebserviceException

cloud = v1_service(sim.cloud.services)

_LOCAL_STATES = {cloud.TRANSITIONING: "deploying", cloud.HEALTHY: "running", cloud.UNHEALTHY: "failed",
                 cloud.FAILED: "failed", cloud.STOPPED: "failed", cloud.DELETING: "deleted"}


def _in_state(allowed):
    def decorator(method):
        @functools.wraps(method)
        def checked(self, *args, **kwargs):
            if self.state not in allowed:
                raise WebserviceException(messages.SERVICE_LOCAL_STATE.format(
                    name=self.name, state=self.state, allowed=allowed))
            return method(self, *args, **kwargs)
        return checked
    return decorator


class LocalWebservice(Webservice):
    """A web service running locally, for debugging before deploying to the cloud.

    Args:
        workspace: the workspace the service's models come from.
        name: the service name.
        must_exist: raise WebserviceException when there is no such service (else state 'unknown').
    """

    STATE_DELETED, STATE_DEPLOYING, STATE_FAILED = "deleted", "deploying", "failed"
    STATE_RUNNING, STATE_UNKNOWN = "running", "unknown"
    NETWORK_NAME = "azureml-local"
    _webservice_type = "Local"

    def __new__(cls, *args, **kwargs):
        return object.__new__(cls)

    def __init__(self, workspace, name, must_exist=True):
        self.workspace, self.name = workspace, name
        self.compute_type = self._webservice_type
        self._record = None
        self.update_deployment_state(must_exist=must_exist)

    def _state_name(self, state):
        return _LOCAL_STATES.get(state, self.STATE_UNKNOWN)

    def update_deployment_state(self, must_exist=False):
        """Refresh this object from the service's current state ('unknown' when it does not exist)."""
        record = cloud.refresh(self.workspace._record, cloud.get(self.workspace._record, self.name)) \
            if self._exists() else None
        if record is None or record.compute_type != self._webservice_type:
            if must_exist:
                raise WebserviceException(messages.SERVICE_NOT_FOUND.format(name=self.name), status_code=404)
            self._record, self.state, self.error = None, self.STATE_UNKNOWN, None
            self.tags = self.properties = self.image_id = self.created_time = None
            self.auth_enabled = False
            return
        self._initialize(self.workspace, record)

    def _exists(self) -> bool:
        try:
            cloud.get(self.workspace._record, self.name)
            return True
        except WebserviceException:
            return False

    @property
    def port(self):
        """The local port the service listens on."""
        if self._record is None or self.state == self.STATE_DELETED:
            return None
        if self._record.port or not self._record.scoring_uri:
            return self._record.port or self._record.config.get("port")
        # Sandboxed beside the simulated Azure, its server has no port: a relay here answers on the one asked for.
        try:
            return _local_port.port_for(self._route(), self._record.config.get("port"))
        except OSError as exc:
            raise WebserviceException(str(exc)) from None

    def _route(self) -> str:
        return self._record.scoring_uri.removesuffix("/score")

    @property
    def scoring_uri(self):
        """Where to POST scoring requests."""
        return self._local_uri("/score")

    @property
    def swagger_uri(self):
        """The service's Swagger document."""
        return self._local_uri("/swagger.json")

    def _local_uri(self, tail: str) -> str | None:
        if self._record is None or self.state == self.STATE_DELETED or not self._record.scoring_uri:
            return None
        return self._route() + tail if self._record.port else f"http://127.0.0.1:{self.port}{tail}"

    @staticmethod
    def deploy_configuration(port=None):
        """The configuration of a local deployment: the port to listen on (default: a free one)."""
        return LocalWebserviceDeploymentConfiguration(port)

    @_in_state([STATE_DEPLOYING, STATE_RUNNING])
    def wait_for_deployment(self, show_output=False):
        """Wait until the local service is running; raise WebserviceException (with the log) if it failed."""
        record = cloud.wait(self.workspace._record, self.name)
        self._initialize(self.workspace, record)
        if record.state != cloud.HEALTHY:
            raise WebserviceException("Error: Container has crashed. Did your init method fail?\n\n"
                                      f"Container logs:\n{self.get_logs()}")
        print(f"Local webservice is {self.state} at http://127.0.0.1:{self.port}")

    @_in_state([STATE_DEPLOYING, STATE_RUNNING])
    def run(self, input_data):
        """POST `input_data` to the local scoring URI and return the decoded JSON answer."""
        if self.state == self.STATE_DEPLOYING:
            self.wait_for_deployment()
        return self._post(input_data)

    @_in_state([STATE_DEPLOYING, STATE_FAILED, STATE_RUNNING])
    def get_logs(self, num_lines=5000, raw=False):
        """The service's log."""
        return cloud.logs(self.workspace._record, self.name, num_lines)

    @_in_state([STATE_DEPLOYING, STATE_FAILED, STATE_RUNNING])
    def delete(self, delete_cache=True, delete_image=False, delete_volume=True):
        """Stop and remove the local service."""
        if self._record is not None and self._record.scoring_uri:
            _local_port.stop(self._route())
        cloud.delete(self.workspace._record, self.name)
        self.state = self.STATE_DELETED

    @_in_state([STATE_DEPLOYING, STATE_FAILED, STATE_RUNNING])
    def reload(self, wait=False):
        """Restart with fresh copies of the entry script and source folder (models unchanged)."""
        self.update(wait=wait)

    @_in_state([STATE_DEPLOYING, STATE_FAILED, STATE_RUNNING, STATE_UNKNOWN])
    def update(self, models=None, image_config=None, deployment_config=None, wait=False, inference_config=None):
        """Redeploy with new models, inference configuration or port (unchanged ones are kept)."""
        from sim.azureml.core.model import InferenceConfig
        from sim.azureml.core.webservice._deploy import redeploy_spec, stored_inference_config

        if image_config is not None:
            raise WebserviceException(messages.NOT_SIMULATED.format(member="LocalWebservice.update(image_config)"))
        if deployment_config is not None and not isinstance(deployment_config, LocalWebserviceDeploymentConfiguration):
            raise WebserviceException(messages.SERVICE_CONFIG_TYPE.format(type_name=type(deployment_config).__name__))
        if inference_config is not None and not isinstance(inference_config, InferenceConfig):
            raise WebserviceException(messages.SERVICE_INFERENCE_CONFIG_TYPE.format(
                type_name=type(inference_config).__name__))
        if self._record is None:
            raise WebserviceException(messages.SERVICE_NOT_FOUND.format(name=self.name), status_code=404)
        inference_config = inference_config or stored_inference_config(self._record)
        spec = redeploy_spec(self.workspace, models if models is not None else self._models(), inference_config)
        changes = {"port": deployment_config.port} if deployment_config is not None else None
        record = cloud.update(self.workspace._record, self.name, config_changes=changes, redeploy=spec)
        self._initialize(self.workspace, record)
        if wait:
            self.wait_for_deployment()

    def _models(self):
        from sim.azureml.core.model import Model

        return [Model(self.workspace, id=model_id) for model_id in self._record.model_ids]

    def deploy_to_cloud(self, name=None, deployment_config=None, deployment_target=None):
        """Deploy the same models and inference configuration as an ACI service."""
        from sim.azureml.core.model import Model
        from sim.azureml.core.webservice._deploy import stored_inference_config

        return Model.deploy(self.workspace, name or self.name, self._models(),
                            stored_inference_config(self._record), deployment_config, deployment_target)

    @staticmethod
    def list(workspace, model_name=None, model_id=None, all=None):
        """The local services of the workspace (all of them with all=True, else the live ones)."""
        records = cloud.list_services(workspace._record, compute_type="Local", model_name=model_name,
                                      model_id=model_id)
        services = [LocalWebservice(workspace, r.name) for r in records]
        return services if all else [s for s in services if s.state in (s.STATE_RUNNING, s.STATE_DEPLOYING)]

    def get_keys(self):
        """Local services have no keys."""
        raise NotImplementedError(messages.SERVICE_LOCAL_NO_KEYS)

    def regen_key(self, key):
        """Local services have no keys."""
        raise NotImplementedError(messages.SERVICE_LOCAL_NO_KEYS)

    def get_token(self):
        """Local services have no tokens."""
        raise NotImplementedError(messages.SERVICE_LOCAL_NO_TOKEN)

    @classmethod
    def deserialize(cls, workspace, webservice_payload):
        """Local services cannot be deserialized (as in the SDK)."""
        raise NotImplementedError("Local web services cannot be deserialized.")

    def serialize(self):
        """This service as the SDK's JSON dictionary."""
        return {"name": self.name, "tags": self.tags, "properties": self.properties, "state": self.state,
                "createdTime": self.created_time.isoformat() if self.created_time else None,
                "updatedTime": getattr(self, "updated_time", None) and self.updated_time.isoformat(),
                "error": self.error, "computeType": self.compute_type, "workspaceName": self.workspace.name,
                "imageId": None, "scoringUri": self.scoring_uri, "swaggerUri": self.swagger_uri, "port": self.port}


class LocalWebserviceDeploymentConfiguration(WebserviceDeploymentConfiguration):
    """The deployment configuration of a local service (see LocalWebservice.deploy_configuration)."""

    _webservice_type = LocalWebservice

    def __init__(self, port=None):
        super().__init__(LocalWebservice)
        self.port = port
        self.validate_configuration()

    def validate_configuration(self):
        """The port, when given, must be an integer in [1, 65535]."""
        if self.port and not (isinstance(self.port, int) and 1 <= self.port <= 65535):
            raise WebserviceException(messages.SERVICE_PORT_INVALID)

    def print_deploy_configuration(self):
        """Nothing to print for a local deployment (as in the SDK)."""

    def _service_config(self, workspace) -> dict:
        return {"port": self.port}
