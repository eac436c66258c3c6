"""``azureml.data.azure_data_lake_datastore``: Azure Data Lake Storage Gen2 datastores.

Gen2 filesystems hold files (a folder here), so datasets can read them; the SDK v1 class has no upload
methods, so files get there with ``Dataset.File.upload_directory``.  Gen1 (``AzureDataLakeDatastore``)
is not simulated: Azure retired it.
"""

from __future__ import annotations

from sim.azureml.data.abstract_datastore import AbstractDatastore
from sim.azureml.data.constants import AZURE_DATA_LAKE_GEN2


class AbstractADLSDatastore(AbstractDatastore):
    """Service-principal settings shared by Data Lake datastores."""

    def __init__(self, workspace, name, datastore_type, tenant_id, client_id, client_secret, resource_url,
                 authority_url, service_data_access_auth_identity):
        """Create the client-side object; see AzureDataLakeGen2Datastore."""
        super().__init__(workspace, name, datastore_type)
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.resource_url = resource_url
        self.authority_url = authority_url
        self.service_data_access_auth_identity = service_data_access_auth_identity
        self.credential_type = "ServicePrincipal" if client_secret else "None"


class AzureDataLakeGen2Datastore(AbstractADLSDatastore):
    """A datastore on an Azure Data Lake Storage Gen2 filesystem."""

    def __init__(self, workspace, name, container_name, account_name, tenant_id=None, client_id=None,
                 client_secret=None, resource_url=None, authority_url=None, protocol=None, endpoint=None,
                 service_data_access_auth_identity=None):
        """Create the client-side object; register with Datastore.register_azure_data_lake_gen2."""
        super().__init__(workspace, name, AZURE_DATA_LAKE_GEN2, tenant_id, client_id, client_secret,
                         resource_url, authority_url, service_data_access_auth_identity)
        self.container_name = container_name
        self.account_name = account_name
        self.protocol = protocol
        self.endpoint = endpoint
