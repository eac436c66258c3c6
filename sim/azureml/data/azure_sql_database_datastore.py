"""``azureml.data.azure_sql_database_datastore``: an Azure SQL Database registration (no data here)."""

from __future__ import annotations

from sim.azureml.data.abstract_datastore import AbstractDatastore
from sim.azureml.data.constants import AZURE_SQL_DATABASE


class AzureSqlDatabaseDatastore(AbstractDatastore):
    """A datastore that holds the connection settings of an Azure SQL database.

    The simulator records the registration (credentials in the key vault); SQL queries are not run.
    """

    def __init__(self, workspace, name, server_name, database_name, tenant_id=None, client_id=None,
                 client_secret=None, resource_url=None, authority_url=None, username=None, password=None,
                 auth_type=None, service_data_access_auth_identity=None):
        """Create the client-side object; register with Datastore.register_azure_sql_database."""
        super().__init__(workspace, name, AZURE_SQL_DATABASE)
        self.server_name = server_name
        self.database_name = database_name
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.resource_url = resource_url
        self.authority_url = authority_url
        self.username = username
        self.password = password
        self.auth_type = auth_type
        self.service_data_access_auth_identity = service_data_access_auth_identity
        self.credential_type = auth_type or ("SqlAuthentication" if password else
                                             ("ServicePrincipal" if client_secret else "None"))
