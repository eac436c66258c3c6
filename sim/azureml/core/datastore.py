"""``azureml.core.datastore``: get, register and unregister datastores of a workspace.

``Datastore(workspace, name)`` and ``Datastore.get`` return the concrete class of the datastore
(AzureBlobDatastore, AzureFileDatastore, ...), as the real SDK does.  There is no registration method for
Azure Synapse / SQL Data Warehouse, as in the real SDK.  Not simulated: ``register_azure_data_lake``
(Gen1, retired by Azure) and ``register_hdfs``; they raise a clear error.
"""

from __future__ import annotations

import sim.cloud.datastores
from sim import messages
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service
from sim.azureml.data import constants as _c

_cloud = v1_service(sim.cloud.datastores)


def _user_error(text):
    from sim.azureml.exceptions import UserErrorException

    return UserErrorException(text)


def _record_of(workspace):
    record = getattr(workspace, "_record", None)
    if record is None:
        raise _user_error(messages.DATASTORE_WORKSPACE_TYPE.format(kind=type(workspace).__name__))
    return record


def _check_name(value, argument="datastore_name"):
    if not isinstance(value, str):
        raise _user_error(messages.DATASTORE_NAME_TYPE.format(argument=argument, kind=type(value).__name__))
    return value


def _require(value, what, store, method):
    if value in (None, ""):
        raise _user_error(messages.DATASTORE_REQUIRED.format(what=what, store=store, method=method))


def _secrets_of(workspace, rec):
    from sim.azureml.exceptions import ServiceException

    try:
        return _cloud.secrets(workspace._record, rec.name)
    except ServiceException:  # the caller's role may not list secrets: the object has no credentials
        return {}


def _from_record(workspace, rec):
    """The SDK object of a stored datastore record."""
    from sim.azureml.data import (
        azure_data_lake_datastore as adls,
    )
    from sim.azureml.data import (
        azure_my_sql_datastore as mysql,
    )
    from sim.azureml.data import (
        azure_postgre_sql_datastore as pg,
    )
    from sim.azureml.data import (
        azure_sql_database_datastore as sql,
    )
    from sim.azureml.data import (
        azure_storage_datastore as storage,
    )
    from sim.azureml.data import (
        dbfs_datastore as dbfs,
    )

    p, s = rec.properties, _secrets_of(workspace, rec)
    t = rec.datastore_type
    if t in (_c.AZURE_BLOB, _c.AZURE_FILE):
        cls = storage.AzureBlobDatastore if t == _c.AZURE_BLOB else storage.AzureFileDatastore
        return cls(workspace, rec.name, p["container_name"], p["account_name"], sas_token=s.get("sas_token"),
                   account_key=s.get("account_key"), protocol=p.get("protocol"), endpoint=p.get("endpoint"))
    if t == _c.AZURE_DATA_LAKE_GEN2:
        return adls.AzureDataLakeGen2Datastore(
            workspace, rec.name, p["filesystem"], p["account_name"], tenant_id=p.get("tenant_id"),
            client_id=p.get("client_id"), client_secret=s.get("client_secret"), resource_url=p.get("resource_url"),
            authority_url=p.get("authority_url"), protocol=p.get("protocol"), endpoint=p.get("endpoint"))
    if t == _c.AZURE_SQL_DATABASE:
        return sql.AzureSqlDatabaseDatastore(
            workspace, rec.name, p["server_name"], p["database_name"], tenant_id=p.get("tenant_id"),
            client_id=p.get("client_id"), client_secret=s.get("client_secret"), resource_url=p.get("resource_url"),
            authority_url=p.get("authority_url"), username=p.get("username"), password=s.get("password"),
            auth_type=rec.credential_type)
    if t == _c.AZURE_POSTGRESQL:
        return pg.AzurePostgreSqlDatastore(workspace, rec.name, p["server_name"], p["database_name"],
                                           p["user_id"], s.get("password"), p.get("port_number"),
                                           p.get("enforce_ssl", True))
    if t == _c.AZURE_MYSQL:
        return mysql.AzureMySqlDatastore(workspace, rec.name, p["server_name"], p["database_name"], p["user_id"],
                                         s.get("password"), p.get("port_number"))
    return dbfs.DBFSDatastore(workspace, rec.name)


class Datastore:
    """Get and register datastores: named connections from a workspace to storage services."""

    def __new__(cls, workspace, name=None):
        """Get a datastore by name (the default datastore when ``name`` is None)."""
        if name is None:
            return Datastore.get_default(workspace)
        return Datastore.get(workspace, name)

    def __init__(self, workspace, name=None):
        """Get a datastore by name; see ``__new__`` (this returns the concrete datastore class)."""
        self.workspace = workspace
        self.name = name

    def set_as_default(self):
        """Make this datastore the workspace default."""
        _cloud.set_default(_record_of(self.workspace), self.name)

    def unregister(self):
        """Remove this datastore's registration (the storage itself is not deleted)."""
        _cloud.unregister(_record_of(self.workspace), self.name)

    @staticmethod
    def get(workspace, datastore_name):
        """Get a datastore by name.

        Raises:
            UserErrorException: no datastore of that name in the workspace.
        """
        record = _record_of(workspace)
        return _from_record(workspace, _cloud.get(record, _check_name(datastore_name)))

    @staticmethod
    def get_default(workspace):
        """Get the workspace's default datastore (``workspaceblobstore`` unless changed)."""
        return _from_record(workspace, _cloud.default(_record_of(workspace)))

    @staticmethod
    def _list(workspace):
        """Every datastore of the workspace as SDK objects (what ``Workspace.datastores`` shows)."""
        return [_from_record(workspace, rec) for rec in _cloud.list(_record_of(workspace))]

    @staticmethod
    def register_azure_blob_container(workspace, datastore_name, container_name, account_name, sas_token=None,
                                      account_key=None, protocol=None, endpoint=None, overwrite=False,
                                      create_if_not_exists=False, skip_validation=False, blob_cache_timeout=None,
                                      grant_workspace_access=False, subscription_id=None, resource_group=None):
        """Register an Azure Blob container; the SAS token or account key goes to the key vault.

        Returns:
            AzureBlobDatastore: the registered datastore.
        """
        record = _record_of(workspace)
        _require(container_name, "container_name", "an Azure Blob datastore", "register_azure_blob_container")
        _require(account_name, "account_name", "an Azure Blob datastore", "register_azure_blob_container")
        props = {"container_name": container_name, "account_name": account_name, "protocol": protocol,
                 "endpoint": endpoint, "subscription_id": subscription_id, "resource_group": resource_group,
                 "blob_cache_timeout": blob_cache_timeout, "grant_workspace_access": grant_workspace_access or None}
        rec = _cloud.register(record, _check_name(datastore_name), _c.AZURE_BLOB, props,
                              {"sas_token": sas_token, "account_key": account_key}, overwrite=overwrite)
        return _from_record(workspace, rec)

    @staticmethod
    def register_azure_file_share(workspace, datastore_name, file_share_name, account_name, sas_token=None,
                                  account_key=None, protocol=None, endpoint=None, overwrite=False,
                                  create_if_not_exists=False, skip_validation=False):
        """Register an Azure File share; the SAS token or account key goes to the key vault.

        Returns:
            AzureFileDatastore: the registered datastore.
        """
        record = _record_of(workspace)
        _require(file_share_name, "file_share_name", "an Azure File datastore", "register_azure_file_share")
        _require(account_name, "account_name", "an Azure File datastore", "register_azure_file_share")
        props = {"container_name": file_share_name, "account_name": account_name, "protocol": protocol,
                 "endpoint": endpoint}
        rec = _cloud.register(record, _check_name(datastore_name), _c.AZURE_FILE, props,
                              {"sas_token": sas_token, "account_key": account_key}, overwrite=overwrite)
        return _from_record(workspace, rec)

    @staticmethod
    def register_azure_data_lake(workspace, datastore_name, store_name, tenant_id=None, client_id=None,
                                 client_secret=None, resource_url=None, authority_url=None, subscription_id=None,
                                 resource_group=None, overwrite=False, grant_workspace_access=False):
        """Not simulated: Azure Data Lake Storage Gen1 is retired; use register_azure_data_lake_gen2."""
        not_simulated("Datastore.register_azure_data_lake (Gen1)")

    @staticmethod
    def register_azure_data_lake_gen2(workspace, datastore_name, filesystem, account_name, tenant_id=None,
                                      client_id=None, client_secret=None, resource_url=None, authority_url=None,
                                      protocol=None, endpoint=None, overwrite=False, subscription_id=None,
                                      resource_group=None, grant_workspace_access=False):
        """Register an Azure Data Lake Storage Gen2 filesystem; the client secret goes to the key vault.

        Returns:
            AzureDataLakeGen2Datastore: the registered datastore.
        """
        record = _record_of(workspace)
        method = "register_azure_data_lake_gen2"
        _require(filesystem, "filesystem", "an Azure Data Lake Gen2 datastore", method)
        _require(account_name, "account_name", "an Azure Data Lake Gen2 datastore", method)
        _check_service_principal(tenant_id, client_id, client_secret)
        props = {"filesystem": filesystem, "account_name": account_name, "tenant_id": tenant_id,
                 "client_id": client_id, "resource_url": resource_url, "authority_url": authority_url,
                 "protocol": protocol, "endpoint": endpoint, "subscription_id": subscription_id,
                 "resource_group": resource_group}
        rec = _cloud.register(record, _check_name(datastore_name), _c.AZURE_DATA_LAKE_GEN2, props,
                              {"client_secret": client_secret}, overwrite=overwrite)
        return _from_record(workspace, rec)

    @staticmethod
    def register_azure_sql_database(workspace, datastore_name, server_name, database_name, tenant_id=None,
                                    client_id=None, client_secret=None, resource_url=None, authority_url=None,
                                    endpoint=None, overwrite=False, username=None, password=None,
                                    subscription_id=None, resource_group=None, grant_workspace_access=False,
                                    **kwargs):
        """Register an Azure SQL database (service principal or SQL login); secrets go to the key vault.

        Returns:
            AzureSqlDatabaseDatastore: the registered datastore.
        """
        record = _record_of(workspace)
        method = "register_azure_sql_database"
        _require(server_name, "server_name", "an Azure SQL Database datastore", method)
        _require(database_name, "database_name", "an Azure SQL Database datastore", method)
        _check_service_principal(tenant_id, client_id, client_secret)
        props = {"server_name": server_name, "database_name": database_name, "tenant_id": tenant_id,
                 "client_id": client_id, "resource_url": resource_url, "authority_url": authority_url,
                 "endpoint": endpoint, "username": username, "subscription_id": subscription_id,
                 "resource_group": resource_group}
        rec = _cloud.register(record, _check_name(datastore_name), _c.AZURE_SQL_DATABASE, props,
                              {"client_secret": client_secret, "password": password}, overwrite=overwrite)
        return _from_record(workspace, rec)

    @staticmethod
    def register_azure_postgre_sql(workspace, datastore_name, server_name, database_name, user_id, user_password,
                                   port_number=None, endpoint=None, overwrite=False, enforce_ssl=True, **kwargs):
        """Register an Azure Database for PostgreSQL; the password goes to the key vault.

        Returns:
            AzurePostgreSqlDatastore: the registered datastore.
        """
        return _register_database(workspace, datastore_name, _c.AZURE_POSTGRESQL, "PostreSQL", server_name,
                                  database_name, user_id, user_password, port_number, endpoint, overwrite,
                                  enforce_ssl=enforce_ssl)

    @staticmethod
    def register_azure_my_sql(workspace, datastore_name, server_name, database_name, user_id, user_password,
                              port_number=None, endpoint=None, overwrite=False, **kwargs):
        """Register an Azure Database for MySQL; the password goes to the key vault.

        Returns:
            AzureMySqlDatastore: the registered datastore.
        """
        return _register_database(workspace, datastore_name, _c.AZURE_MYSQL, "My SQL", server_name,
                                  database_name, user_id, user_password, port_number, endpoint, overwrite)

    @staticmethod
    def register_dbfs(workspace, datastore_name):
        """Register a Databricks File System datastore (it takes no credentials).

        Returns:
            DBFSDatastore: the registered datastore.
        """
        rec = _cloud.register(_record_of(workspace), _check_name(datastore_name), _c.DBFS, {}, {})
        return _from_record(workspace, rec)

    @staticmethod
    def register_hdfs(workspace, datastore_name, protocol, namenode_address, hdfs_server_certificate,
                      kerberos_realm, kerberos_kdc_address, kerberos_principal, kerberos_keytab=None,
                      kerberos_password=None, overwrite=False):
        """Not simulated: HDFS datastores need a Kerberos-secured cluster."""
        not_simulated("Datastore.register_hdfs")


def _check_service_principal(tenant_id, client_id, client_secret):
    given = [v is not None for v in (tenant_id, client_id, client_secret)]
    if any(given) and not all(given):
        raise _user_error(messages.DATASTORE_CREDENTIALS_TOGETHER)


def _register_database(workspace, datastore_name, dtype, label, server_name, database_name, user_id,
                       user_password, port_number, endpoint, overwrite, **extra):
    # The SDK's own checks, with its own wording ("User id is required for PostreSQL." ...).
    for value, what in ((user_id, "User id"), (user_password, "User password"), (server_name, "Server name"),
                        (database_name, "Database name")):
        if not value:
            raise _user_error(f"{what} is required for {label}.")
    props = {"server_name": server_name, "database_name": database_name, "user_id": user_id,
             "port_number": port_number, "endpoint": endpoint, **extra}
    rec = _cloud.register(_record_of(workspace), _check_name(datastore_name), dtype, props,
                          {"password": user_password}, overwrite=overwrite)
    return _from_record(workspace, rec)
