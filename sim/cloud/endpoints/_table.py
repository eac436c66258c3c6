"""The state of online endpoints and their deployments: one row each, plus folders on disk.

Folder layout (`<workspace folder>/online-endpoints/<endpoint>/`): `keys.json` (0600: the endpoint's keys) and
`deployments/<deployment>/`, which holds what an inference container holds, as a v1 web service's folder does:
`app/` (the scoring code snapshot; the working directory), `azureml-models/<model>/<version>/`, `service.json`
(what the scoring server needs), `status.json` (written by the server: pid, port, state) and `server.log`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from sim import messages
from sim.cloud import store
from sim.cloud.errors import SERVICE, NotFound

# provisioningState values, as Azure reports them
CREATING, UPDATING, SUCCEEDED, FAILED, DELETING = "Creating", "Updating", "Succeeded", "Failed", "Deleting"
IN_PROGRESS = (CREATING, UPDATING, DELETING)

metadata = sa.MetaData()
endpoints_table = sa.Table(
    "online_endpoints", metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("auth_mode", sa.String, nullable=False),         # Key, AMLToken or AADToken
    sa.Column("description", sa.String),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("properties", sa.JSON, nullable=False),
    sa.Column("traffic", sa.JSON, nullable=False),             # {deployment: percent}
    sa.Column("mirror_traffic", sa.JSON, nullable=False),
    sa.Column("public_network_access", sa.String, nullable=False),
    sa.Column("state", sa.String, nullable=False),
    sa.Column("created_time", sa.String, nullable=False),
    sa.Column("updated_time", sa.String, nullable=False),
)
deployments_table = sa.Table(
    "online_deployments", metadata,
    sa.Column("endpoint", sa.String, primary_key=True),
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("model_id", sa.String),                          # the registry's "<name>:<version>"
    sa.Column("code_id", sa.String),                           # the code asset the scoring script comes from
    sa.Column("scoring_script", sa.String),
    sa.Column("environment_id", sa.String),
    sa.Column("instance_type", sa.String, nullable=False),
    sa.Column("instance_count", sa.Integer, nullable=False),
    sa.Column("environment_variables", sa.JSON, nullable=False),
    sa.Column("settings", sa.JSON, nullable=False),            # probes, request and scale settings, ... as given
    sa.Column("description", sa.String),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("state", sa.String, nullable=False),
    sa.Column("pid", sa.Integer),
    sa.Column("port", sa.Integer),
    sa.Column("error", sa.JSON),
    sa.Column("created_time", sa.String, nullable=False),
    sa.Column("updated_time", sa.String, nullable=False),
)


@dataclass(frozen=True)
class OnlineEndpoint:
    """One managed online endpoint, as the service stores it."""

    name: str
    auth_mode: str
    location: str
    folder: Path
    state: str
    created_time: datetime
    updated_time: datetime
    description: str | None = None
    tags: dict = field(default_factory=dict)
    properties: dict = field(default_factory=dict)
    traffic: dict = field(default_factory=dict)
    mirror_traffic: dict = field(default_factory=dict)
    public_network_access: str = "Enabled"

    @property
    def host(self) -> str:
        """The endpoint's DNS name (endpoint names are unique per region, as this name requires)."""
        return f"{self.name}.{self.location}.inference.ml.azure.com"

    @property
    def scoring_uri(self) -> str:
        """Where clients POST scoring requests."""
        return f"https://{self.host}/score"

    @property
    def swagger_uri(self) -> str:
        """The endpoint's OpenAPI document."""
        return f"https://{self.host}/swagger.json"


@dataclass(frozen=True)
class OnlineDeployment:
    """One deployment of an online endpoint: a scoring server on 127.0.0.1 while it is up."""

    endpoint: str
    name: str
    folder: Path
    instance_type: str
    instance_count: int
    state: str
    created_time: datetime
    updated_time: datetime
    model_id: str | None = None
    code_id: str | None = None
    scoring_script: str | None = None
    environment_id: str | None = None
    environment_variables: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    description: str | None = None
    tags: dict = field(default_factory=dict)
    pid: int | None = None
    port: int | None = None
    error: dict | None = None

    @property
    def local_uri(self) -> str | None:
        """The scoring server's own address (None until it has a port)."""
        return f"http://127.0.0.1:{self.port}/score" if self.port else None


def now() -> str:
    """The current UTC time as stored."""
    return datetime.now(UTC).isoformat()


def endpoints_dir(record) -> Path:
    """Folder holding one folder per online endpoint."""
    return Path(record.folder) / "online-endpoints"


def deployment_dir(record, endpoint: str, name: str) -> Path:
    """The folder of one deployment."""
    return endpoints_dir(record) / endpoint / "deployments" / name


def engine(record):
    """The workspace state engine with the endpoint tables in place."""
    eng = store.engine(record)
    store.ensure(metadata, eng)
    return eng


def _times(values: dict) -> dict:
    values["created_time"] = datetime.fromisoformat(values["created_time"])
    values["updated_time"] = datetime.fromisoformat(values["updated_time"])
    return values


def _endpoint(record, row) -> OnlineEndpoint:
    values = _times(row._asdict())
    return OnlineEndpoint(location=record.location, folder=endpoints_dir(record) / row.name, **values)


def _deployment(record, row) -> OnlineDeployment:
    values = _times(row._asdict())
    return OnlineDeployment(folder=deployment_dir(record, row.endpoint, row.name), **values)


def find_endpoint(record, name: str) -> OnlineEndpoint | None:
    """The stored endpoint `name`, or None."""
    with engine(record).connect() as conn:
        row = conn.execute(sa.select(endpoints_table).where(endpoints_table.c.name == name)).first()
    return _endpoint(record, row) if row else None


def get_endpoint(record, name: str) -> OnlineEndpoint:
    """The stored endpoint `name`; raises NotFound."""
    found = find_endpoint(record, name)
    if found is None:
        raise NotFound(SERVICE, messages.ENDPOINT_NOT_FOUND.format(name=name, workspace=record.name))
    return found


def all_endpoints(record) -> list[OnlineEndpoint]:
    """Every endpoint of the workspace, oldest first."""
    with engine(record).connect() as conn:
        rows = conn.execute(sa.select(endpoints_table).order_by(endpoints_table.c.created_time)).all()
    return [_endpoint(record, r) for r in rows]


def save_endpoint(record, name: str, **values) -> OnlineEndpoint:
    """Insert or change an endpoint row (updated_time is set) and return it."""
    values["updated_time"] = now()
    with engine(record).begin() as conn:
        changed = conn.execute(endpoints_table.update().where(endpoints_table.c.name == name).values(**values))
        if not changed.rowcount:
            conn.execute(endpoints_table.insert().values(name=name, created_time=values["updated_time"], **values))
    return get_endpoint(record, name)


def remove_endpoint(record, name: str) -> None:
    """Forget an endpoint row and its deployments' rows."""
    with engine(record).begin() as conn:
        conn.execute(deployments_table.delete().where(deployments_table.c.endpoint == name))
        conn.execute(endpoints_table.delete().where(endpoints_table.c.name == name))


def _where(endpoint: str, name: str):
    return deployments_table.c.endpoint == endpoint, deployments_table.c.name == name


def find_deployment(record, endpoint: str, name: str) -> OnlineDeployment | None:
    """The stored deployment, or None."""
    with engine(record).connect() as conn:
        row = conn.execute(sa.select(deployments_table).where(*_where(endpoint, name))).first()
    return _deployment(record, row) if row else None


def get_deployment(record, endpoint: str, name: str) -> OnlineDeployment:
    """The stored deployment; raises NotFound."""
    found = find_deployment(record, endpoint, name)
    if found is None:
        raise NotFound(SERVICE, messages.DEPLOYMENT_NOT_FOUND.format(name=name, endpoint=endpoint))
    return found


def deployments_of(record, endpoint: str | None = None) -> list[OnlineDeployment]:
    """The deployments of one endpoint (or of every endpoint), oldest first."""
    stmt = sa.select(deployments_table).order_by(deployments_table.c.created_time)
    if endpoint is not None:
        stmt = stmt.where(deployments_table.c.endpoint == endpoint)
    with engine(record).connect() as conn:
        return [_deployment(record, r) for r in conn.execute(stmt).all()]


def save_deployment(record, endpoint: str, name: str, **values) -> OnlineDeployment:
    """Insert or change a deployment row (updated_time is set) and return it."""
    values["updated_time"] = now()
    with engine(record).begin() as conn:
        changed = conn.execute(deployments_table.update().where(*_where(endpoint, name)).values(**values))
        if not changed.rowcount:
            conn.execute(deployments_table.insert().values(endpoint=endpoint, name=name,
                                                           created_time=values["updated_time"], **values))
    return get_deployment(record, endpoint, name)


def claim_deployment(record, endpoint: str, name: str, expected_pid: int | None, **values) -> bool:
    """Change the row only while its pid is still `expected_pid` (two processes never both restart it)."""
    values["updated_time"] = now()
    pid = deployments_table.c.pid
    same = pid.is_(None) if expected_pid is None else pid == expected_pid
    with engine(record).begin() as conn:
        result = conn.execute(deployments_table.update().where(*_where(endpoint, name), same).values(**values))
    return result.rowcount == 1


def remove_deployment(record, endpoint: str, name: str) -> None:
    """Forget a deployment row."""
    with engine(record).begin() as conn:
        conn.execute(deployments_table.delete().where(*_where(endpoint, name)))
