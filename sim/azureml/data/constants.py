"""Datastore type names and dataset consumption modes, as in the real ``azureml.data.constants``."""

from sim.cloud.datastores import (  # noqa: F401 - re-exported under the SDK's names
    AZURE_BLOB,
    AZURE_DATA_LAKE_GEN2,
    AZURE_FILE,
    AZURE_MYSQL,
    AZURE_POSTGRESQL,
    AZURE_SQL_DATABASE,
    DBFS,
    WORKSPACE_BLOB_DATASTORE,
    WORKSPACE_FILE_DATASTORE,
)

ACCOUNT_KEY = "AccountKey"
SAS = "Sas"
NONE = "None"
CONFLICT_MESSAGE = "Another datastore with the same name already exists"

_DATASET_ARGUMENT_TEMPLATE = "DatasetConsumptionConfig:{}"
DOWNLOAD_MODE = "download"
MOUNT_MODE = "mount"
DIRECT_MODE = "direct"
HDFS_MODE = "hdfs"
