"""Datastores (ARM): list, get, the default, create or update, delete, and listSecrets.

The registrations are `sim.cloud.datastores`' (the ones SDK v1's `Datastore` sees). The REST shape is the
2024-10-01-preview one: `properties.datastoreType` (AzureBlob, AzureFile, AzureDataLakeGen2), the
container fields, `credentials` without their secrets, `isDefault`. Credentials are stored in the key
vault and never checked against a storage account (there is none): placeholders such as
`account_key="XXXX-XXXX"` are accepted, as Azure accepts them with `skip_validation`.

Database datastores (Azure SQL, PostgreSQL, MySQL) and DBFS, which SDK v1 can register, have no v2 REST shape:
a listing leaves them out and a get answers 400, as the v2 API does not describe them.
"""

from __future__ import annotations

from werkzeug.routing import Rule

from sim import messages
from sim.cloud import datastores
from sim.rest._errors import bad_request
from sim.rest._shapes import ARM_HOST, WS, page, properties_of, resource
from sim.rest.workspaces import workspace_record

DATASTORE = f"{WS}/datastores/<name>"

# v2 datastoreType <-> the service's datastore types.
V2_TYPES = {"AzureBlob": datastores.AZURE_BLOB, "AzureFile": datastores.AZURE_FILE,
            "AzureDataLakeGen2": datastores.AZURE_DATA_LAKE_GEN2}
_CLOUD_TO_V2 = {v: k for k, v in V2_TYPES.items()}
# Where each type keeps its container name in the v2 shape.
_CONTAINER_FIELD = {"AzureBlob": "containerName", "AzureFile": "fileShareName", "AzureDataLakeGen2": "filesystem"}
# The credential types, and the key-vault field holding each one's secret.
_SECRET_FIELD = {"AccountKey": "account_key", "Sas": "sas_token", "ServicePrincipal": "client_secret",
                 "ClientCredentials": "client_secret"}
_SECRET_JSON = {"account_key": ("AccountKey", "key"), "sas_token": ("Sas", "sasToken"),
                "client_secret": ("ServicePrincipal", "clientSecret")}


def datastore_id(record, name: str) -> str:
    """The ARM id of a datastore."""
    return f"{record.arm_id}/datastores/{name}"


def _credentials_json(rec) -> dict:
    """The credentials block without secrets (ARM never returns them on GET)."""
    kind = rec.credential_type if rec.credential_type in _SECRET_FIELD else "None"
    body = {"credentialsType": kind}
    if kind in ("ServicePrincipal", "ClientCredentials"):
        props = rec.properties
        body.update(clientId=props.get("client_id"), tenantId=props.get("tenant_id"),
                    authorityUrl=props.get("authority_url"), resourceUrl=props.get("resource_url"))
        body["credentialsType"] = "ServicePrincipal"
    return body


def datastore_json(record, rec) -> dict:
    """One datastore as ARM returns it."""
    v2_type = _CLOUD_TO_V2[rec.datastore_type]
    props = rec.properties
    container = props.get("filesystem") if v2_type == "AzureDataLakeGen2" else props.get("container_name")
    body = {"datastoreType": v2_type, "accountName": props.get("account_name"),
            _CONTAINER_FIELD[v2_type]: container, "endpoint": props.get("endpoint") or "core.windows.net",
            "protocol": props.get("protocol") or "https", "serviceDataAccessAuthIdentity": "None",
            "credentials": _credentials_json(rec), "isDefault": rec.is_default,
            "description": props.get("description"), "tags": props.get("tags") or {}, "properties": {},
            "subscriptionId": props.get("subscription_id") or record.subscription_id,
            "resourceGroup": props.get("resource_group") or record.resource_group}
    return resource(datastore_id(record, rec.name), "workspaces/datastores", body)


def _representable(rec) -> bool:
    return rec.datastore_type in _CLOUD_TO_V2


def list_datastores(request, sub, rg, ws):
    """List datastores (`isDefault=true` gives the default one, as `datastores.get_default()` asks)."""
    record = workspace_record(sub, rg, ws)
    found = [d for d in datastores.list(record) if _representable(d)]
    if request.args.get("isDefault", "").lower() == "true":
        found = [d for d in found if d.is_default]
    names = request.args.getlist("names")
    if names:
        found = [d for d in found if d.name in {n.lower() for n in names}]
    return page([datastore_json(record, d) for d in found])


def _get_representable(record, name):
    rec = datastores.get(record, name)
    if not _representable(rec):
        raise bad_request(messages.REST_DATASTORE_TYPE_NOT_IN_V2.format(name=rec.name, kind=rec.datastore_type))
    return rec


def get_datastore(request, sub, rg, ws, name):
    """Get a datastore by name, without its secrets (404 when it does not exist)."""
    record = workspace_record(sub, rg, ws)
    return datastore_json(record, _get_representable(record, name))


def _settings_of(props: dict) -> tuple[str, dict, dict]:
    """(service type, non-secret properties, secrets) of a v2 datastore body."""
    v2_type = props.get("datastoreType")
    if v2_type not in V2_TYPES:
        raise bad_request(messages.REST_DATASTORE_TYPE_UNSUPPORTED.format(kind=v2_type))
    container = props.get(_CONTAINER_FIELD[v2_type])
    if not props.get("accountName") or not container:
        raise bad_request(messages.REST_DATASTORE_MISSING.format(
            fields=f"accountName and {_CONTAINER_FIELD[v2_type]}", kind=v2_type))
    settings = {"account_name": props["accountName"], "protocol": props.get("protocol"),
                "endpoint": props.get("endpoint"), "description": props.get("description"),
                "tags": props.get("tags") or None}
    settings["filesystem" if v2_type == "AzureDataLakeGen2" else "container_name"] = container
    credentials = props.get("credentials") or {}
    secrets = _secrets_of(credentials)
    if credentials.get("credentialsType") == "ServicePrincipal":
        settings.update(client_id=credentials.get("clientId"), tenant_id=credentials.get("tenantId"),
                        authority_url=credentials.get("authorityUrl"), resource_url=credentials.get("resourceUrl"))
    return V2_TYPES[v2_type], settings, secrets


def _secrets_of(credentials: dict) -> dict:
    kind = credentials.get("credentialsType") or "None"
    if kind == "None":
        return {}
    field = _SECRET_FIELD.get(kind)
    if field is None:
        raise bad_request(messages.REST_DATASTORE_CREDENTIALS.format(kind=kind))
    json_key = _SECRET_JSON[field][1]
    value = (credentials.get("secrets") or {}).get(json_key)
    if not value:
        raise bad_request(messages.REST_DATASTORE_SECRET_MISSING.format(kind=kind, field=json_key))
    return {field: value}


def put_datastore(request, sub, rg, ws, name):
    """Create or update a blob, file share or Data Lake Gen2 datastore (credentials are not checked)."""
    record = workspace_record(sub, rg, ws)
    dtype, settings, secrets = _settings_of(properties_of(request))
    existed = _exists(record, name)
    rec = datastores.register(record, name, dtype, settings, secrets, overwrite=True)
    if properties_of(request).get("isDefault") and not rec.is_default:
        rec = datastores.set_default(record, rec.name)
    return (200 if existed else 201), datastore_json(record, rec)


def _exists(record, name: str) -> bool:
    return any(d.name == str(name).lower() for d in datastores.list(record))


def delete_datastore(request, sub, rg, ws, name):
    """Remove a datastore registration (its files stay; the default datastore cannot be removed)."""
    record = workspace_record(sub, rg, ws)
    if not _exists(record, name):
        return 204, None
    datastores.unregister(record, name)
    return 200, None


def list_secrets(request, sub, rg, ws, name):
    """List a datastore's secret; for an `expirableSecret` a blob datastore answers a SAS token, as Azure does."""
    record = workspace_record(sub, rg, ws)
    rec = _get_representable(record, name)
    values = datastores.secrets(record, rec.name)
    wants_sas = bool((request.get_json(silent=True, force=True) or {}).get("expirableSecret"))
    if wants_sas and rec.datastore_type == datastores.AZURE_BLOB and values:
        return {"secretsType": "Sas", "sasToken": simulated_sas_token()}
    for field, (kind, json_key) in _SECRET_JSON.items():
        if field in values:
            return {"secretsType": kind, json_key: values[field]}
    raise bad_request(messages.REST_DATASTORE_NO_SECRETS.format(name=rec.name))


def simulated_sas_token() -> str:
    """A SAS token in Azure's form; the simulated blob service accepts any token and checks no signature."""
    return "sv=2023-11-03&ss=b&srt=sco&sp=rwdlac&se=2099-01-01T00:00:00Z&spr=https&sig=simulated"


ROUTES = [
    Rule(f"{WS}/datastores", host=ARM_HOST, endpoint=list_datastores, methods=["GET"]),
    Rule(DATASTORE, host=ARM_HOST, endpoint=get_datastore, methods=["GET"]),
    Rule(DATASTORE, host=ARM_HOST, endpoint=put_datastore, methods=["PUT"]),
    Rule(DATASTORE, host=ARM_HOST, endpoint=delete_datastore, methods=["DELETE"]),
    Rule(f"{DATASTORE}/listSecrets", host=ARM_HOST, endpoint=list_secrets, methods=["POST"]),
]
