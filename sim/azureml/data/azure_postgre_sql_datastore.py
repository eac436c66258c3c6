"""``azureml.data.azure_postgre_sql_datastore``: an Azure Database for PostgreSQL registration."""

from __future__ import annotations

from sim.azureml.data.abstract_datastore import AbstractDatastore
from sim.azureml.data.constants import AZURE_POSTGRESQL


class AzurePostgreSqlDatastore(AbstractDatastore):
    """A datastore that holds the connection settings of a PostgreSQL database (registration only)."""

    def __init__(self, workspace, name, server_name, database_name, user_id, user_password, port_number=None,
                 enforce_ssl=True):
        """Create the client-side object; register with Datastore.register_azure_postgre_sql."""
        super().__init__(workspace, name, AZURE_POSTGRESQL)
        self.server_name = server_name
        self.database_name = database_name
        self.user_id = user_id
        self.user_password = user_password
        self.port_number = port_number
        self.enforce_ssl = enforce_ssl
