"""Simulated `azureml.core.webservice.aci`: services on Azure Container Instances.

An ACI service here is a scoring server on 127.0.0.1 (a free port); cpu_cores and memory_gb are recorded
and validated, not enforced.
"""

from __future__ import annotations

import os

import sim.cloud.services
from sim import messages
from sim.azureml._common.service_errors import v1_service
from sim.azureml.core.webservice.webservice import Webservice, WebserviceDeploymentConfiguration
from sim.azureml.exceptions import WebserviceException

cloud = v1_service(sim.cloud.services)

DEFAULT_CPU_CORES, DEFAULT_MEMORY_GB = 0.1, 0.5


class ContainerResourceRequirements:
    """CPU cores and memory (GB) given to the service's container."""

    def __init__(self, cpu, memory_in_gb):
        self.cpu = cpu
        self.memory_in_gb = memory_in_gb

    def serialize(self):
        """As the SDK's JSON dictionary."""
        return {"cpu": self.cpu, "memoryInGB": self.memory_in_gb}

    @staticmethod
    def deserialize(payload_obj):
        """From the SDK's JSON dictionary (None stays None)."""
        return ContainerResourceRequirements(payload_obj["cpu"], payload_obj["memoryInGB"]) if payload_obj else None


class AciWebservice(Webservice):
    """A web service deployed to Azure Container Instances (simulated by a local scoring server)."""

    _webservice_type = "ACI"

    def _initialize(self, workspace, record):
        super()._initialize(workspace, record)
        config = record.config
        self.enable_app_insights = bool(config.get("enable_app_insights"))
        self.container_resource_requirements = ContainerResourceRequirements(
            config.get("cpu_cores"), config.get("memory_gb"))
        self.location = config.get("location")
        self.cname = self.ssl_certificate = self.ssl_key = self.public_ip = self.public_fqdn = None
        self.ssl_enabled = bool(config.get("ssl_enabled"))
        self.encryption_properties = self.vnet_configuration = None
        self.scoring_uri = record.scoring_uri if record.state != cloud.DELETING else None
        self.swagger_uri = record.swagger_uri if self.scoring_uri else None
        self.environment = record.environment
        self._model_ids = list(record.model_ids)

    @property
    def models(self):
        """The registered models this service was deployed with."""
        from sim.azureml.core.model import Model

        return [Model(self.workspace, id=model_id) for model_id in self._model_ids]

    @staticmethod
    def deploy_configuration(cpu_cores=None, memory_gb=None, tags=None, properties=None, description=None,
                             location=None, auth_enabled=None, ssl_enabled=None, enable_app_insights=None,
                             ssl_cert_pem_file=None, ssl_key_pem_file=None, ssl_cname=None, dns_name_label=None,
                             primary_key=None, secondary_key=None, collect_model_data=None,
                             cmk_vault_base_url=None, cmk_key_name=None, cmk_key_version=None, vnet_name=None,
                             subnet_name=None):
        """The resources and options of an ACI deployment (defaults: 0.1 CPU, 0.5 GB, no auth)."""
        return AciServiceDeploymentConfiguration(
            cpu_cores, memory_gb, tags, properties, description, location, auth_enabled, ssl_enabled,
            enable_app_insights, ssl_cert_pem_file, ssl_key_pem_file, ssl_cname, dns_name_label, primary_key,
            secondary_key, collect_model_data, cmk_vault_base_url, cmk_key_name, cmk_key_version, vnet_name,
            subnet_name)

    def run(self, input_data):
        """POST `input_data` to the scoring URI and return the decoded JSON answer."""
        return self._post(input_data)

    def update(self, image=None, tags=None, properties=None, description=None, auth_enabled=None, ssl_enabled=None,
               ssl_cert_pem_file=None, ssl_key_pem_file=None, ssl_cname=None, enable_app_insights=None, models=None,
               inference_config=None):
        """Change tags, properties, description, auth or app insights; new models/inference_config redeploy."""
        if (not image and tags is None and properties is None and not description and auth_enabled is None
                and ssl_enabled is None and not ssl_cert_pem_file and not ssl_key_pem_file and not ssl_cname
                and enable_app_insights is None and models is None and inference_config is None):
            raise WebserviceException(messages.SERVICE_NO_UPDATE)
        if image or ssl_enabled or ssl_cert_pem_file or ssl_key_pem_file or ssl_cname:
            raise WebserviceException(messages.NOT_SIMULATED.format(member="AciWebservice.update(image/ssl ...)"))
        if inference_config is None and models:
            raise WebserviceException('Error, both "models" and "inference_config" inputs must be provided in '
                                      'order to update the models.')
        from sim.azureml.core.webservice._deploy import redeploy_spec

        redeploy = redeploy_spec(self.workspace, models if models is not None else self.models,
                                 inference_config) if inference_config is not None else None
        changes = {"enable_app_insights": bool(enable_app_insights)} if enable_app_insights is not None else None
        record = cloud.update(self.workspace._record, self.name, tags=tags, properties=properties,
                              description=description, auth_enabled=auth_enabled, config_changes=changes,
                              redeploy=redeploy)
        self._initialize(self.workspace, record)

    def add_tags(self, tags):
        """Add (or replace) tags."""
        merged = dict(self.tags or {})
        for key in tags:
            if key in merged:
                print(f"Replacing tag {key} -> {merged[key]} with {key} -> {tags[key]}")
            merged[key] = tags[key]
        self.update(tags=merged)
        print("Webservice tag add operation complete.")

    def remove_tags(self, tags):
        """Remove the named tags."""
        remaining = dict(self.tags or {})
        for key in tags if isinstance(tags, list) else [tags]:
            if remaining.pop(key, None) is None:
                print(f"Tag with key {key} not found.")
        self.update(tags=remaining)
        print("Webservice tag remove operation complete.")

    def add_properties(self, properties):
        """Add properties."""
        self.update(properties=properties)
        print("Webservice add properties operation complete.")

    def get_token(self):
        """ACI services have no token authentication (keys only)."""
        raise NotImplementedError(messages.SERVICE_ACI_NO_TOKEN)

    def serialize(self):
        """This service as the SDK's JSON dictionary."""
        data = super().serialize()
        data.update({"containerResourceRequirements": self.container_resource_requirements.serialize(),
                     "scoringUri": self.scoring_uri, "location": self.location, "authEnabled": self.auth_enabled,
                     "sslEnabled": self.ssl_enabled, "appInsightsEnabled": self.enable_app_insights,
                     "sslCertificate": None, "sslKey": None, "cname": None, "publicIp": None, "publicFqdn": None,
                     "environmentDetails": self.environment, "modelDetails": list(self._model_ids),
                     "encryptionProperties": None, "vnetConfiguration": None})
        return data


class AciServiceDeploymentConfiguration(WebserviceDeploymentConfiguration):
    """The deployment configuration of an ACI service (see AciWebservice.deploy_configuration)."""

    def __init__(self, cpu_cores=None, memory_gb=None, tags=None, properties=None, description=None, location=None,
                 auth_enabled=None, ssl_enabled=None, enable_app_insights=None, ssl_cert_pem_file=None,
                 ssl_key_pem_file=None, ssl_cname=None, dns_name_label=None, primary_key=None, secondary_key=None,
                 collect_model_data=None, cmk_vault_base_url=None, cmk_key_name=None, cmk_key_version=None,
                 vnet_name=None, subnet_name=None):
        super().__init__(AciWebservice, description, tags, properties, primary_key, secondary_key, location)
        self.cpu_cores = cpu_cores
        self.memory_gb = memory_gb
        self.auth_enabled = auth_enabled
        self.ssl_enabled = ssl_enabled
        self.enable_app_insights = enable_app_insights
        self.ssl_cert_pem_file = ssl_cert_pem_file
        self.ssl_key_pem_file = ssl_key_pem_file
        self.ssl_cname = ssl_cname
        self.dns_name_label = dns_name_label
        self.collect_model_data = collect_model_data
        self.cmk_vault_base_url = cmk_vault_base_url
        self.cmk_key_name = cmk_key_name
        self.cmk_key_version = cmk_key_version
        self.vnet_name = vnet_name
        self.subnet_name = subnet_name
        self.validate_configuration()

    def validate_configuration(self):
        """Raise WebserviceException for non-positive resources or incomplete SSL/CMK/VNet settings."""
        for value, what in ((self.cpu_cores, "cpu_cores"), (self.memory_gb, "memory_gb")):
            if value is not None and (not isinstance(value, (int, float)) or value <= 0):
                raise WebserviceException(messages.SERVICE_CONFIG_POSITIVE.format(what=what))
        if self.ssl_enabled:
            if not self.ssl_cert_pem_file or not self.ssl_key_pem_file or not self.ssl_cname:
                raise WebserviceException("SSL is enabled, you must provide a SSL certificate, key, and cname.")
            for path in (self.ssl_cert_pem_file, self.ssl_key_pem_file):
                if not os.path.exists(path):
                    raise WebserviceException(f"Error, unable to find SSL pem file provided paths:\n{path}")
        cmk = (self.cmk_vault_base_url, self.cmk_key_name, self.cmk_key_version)
        if any(cmk) and not all(cmk):
            raise WebserviceException("customer managed key vault_base_url, key_name and key_version must all have "
                                      "values or all are empty/null")
        if bool(self.vnet_name) != bool(self.subnet_name):
            raise WebserviceException("vnet_name and subnet_name must all have values or both are empty/null")

    def print_deploy_configuration(self):
        """Print the CPU and memory asked for."""
        parts = []
        if self.cpu_cores:
            parts.append(f"CPU requirement: {self.cpu_cores}")
        if self.memory_gb:
            parts.append(f"Memory requirement: {self.memory_gb}GB")
        if parts:
            print(", ".join(parts))

    def _service_config(self, workspace) -> dict:
        return {"cpu_cores": self.cpu_cores or DEFAULT_CPU_CORES, "memory_gb": self.memory_gb or DEFAULT_MEMORY_GB,
                "location": self.location or getattr(workspace, "location", None),
                "enable_app_insights": bool(self.enable_app_insights), "ssl_enabled": bool(self.ssl_enabled),
                "dns_name_label": self.dns_name_label}
