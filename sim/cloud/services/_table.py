"""The web services' state: one row per service, plus its folder on disk.

Folder layout (`<workspace folder>/services/<name>/`), mirroring what an Azure inference container holds:
`app/` (snapshot of the entry script or its source directory; the working directory), `azureml-models/`
(`<model>/<version>/<file or folder>`), `service.json` (what the scoring server needs), `status.json`
(written by the scoring server: pid, port, state), `keys.json` (0600, when auth is on) and `server.log`; a server
sandboxed with the home hidden listens on `server.sock` there instead of a port.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from sim import messages
from sim.cloud import gateway, store
from sim.cloud.errors import SERVICE, NotFound
from sim.cloud.services._process import SOCKET_FILE

# The service states the SDK reports for ACI (Local ones are translated by the facade).
TRANSITIONING, HEALTHY, UNHEALTHY, FAILED, DELETING = "Transitioning", "Healthy", "Unhealthy", "Failed", "Deleting"
STOPPED = "Stopped"  # the host process went away and the service could not be restarted
TERMINAL_STATES = (HEALTHY, UNHEALTHY, FAILED, STOPPED)

metadata = sa.MetaData()
services_table = sa.Table(
    "services", metadata,
    sa.Column("name", sa.String, primary_key=True),
    sa.Column("compute_type", sa.String, nullable=False),      # 'ACI' or 'Local'
    sa.Column("state", sa.String, nullable=False),
    sa.Column("operation_id", sa.String, nullable=False),
    sa.Column("operation_state", sa.String, nullable=False),   # Running / Succeeded / Failed
    sa.Column("created_time", sa.String, nullable=False),
    sa.Column("updated_time", sa.String, nullable=False),
    sa.Column("description", sa.String),
    sa.Column("tags", sa.JSON, nullable=False),
    sa.Column("properties", sa.JSON, nullable=False),
    sa.Column("auth_enabled", sa.Boolean, nullable=False),
    sa.Column("config", sa.JSON, nullable=False),              # cpu_cores, memory_gb, port asked for, ...
    sa.Column("model_ids", sa.JSON, nullable=False),
    sa.Column("entry_script", sa.String, nullable=False),
    sa.Column("environment", sa.JSON),
    sa.Column("port", sa.Integer),
    sa.Column("pid", sa.Integer),
    sa.Column("error", sa.JSON),
    sa.Column("created_by", sa.JSON),
)


@dataclass(frozen=True)
class ServiceRecord:
    """One web service, as the service stores it."""

    name: str
    compute_type: str
    state: str
    operation_id: str
    operation_state: str
    created_time: datetime
    updated_time: datetime
    folder: Path
    description: str | None = None
    tags: dict = field(default_factory=dict)
    properties: dict = field(default_factory=dict)
    auth_enabled: bool = False
    config: dict = field(default_factory=dict)
    model_ids: list = field(default_factory=list)
    entry_script: str = ""
    environment: dict | None = None
    port: int | None = None
    pid: int | None = None
    error: dict | None = None
    created_by: dict | None = None
    address: str | None = None  # where its URIs start: the service's scoring route, or the server (sim.cloud.gateway)

    @property
    def scoring_uri(self) -> str | None:
        """Where to POST scoring requests (None until the server has a port)."""
        return f"{self._address}/score" if self._address else None

    @property
    def swagger_uri(self) -> str | None:
        """The service's Swagger document (None until the server has a port)."""
        return f"{self._address}/swagger.json" if self._address else None

    @property
    def _address(self) -> str | None:
        return self.address or (f"http://127.0.0.1:{self.port}" if self.port else None)


def now() -> str:
    """The current UTC time as stored."""
    return datetime.now(UTC).isoformat()


def services_dir(record) -> Path:
    """Folder holding one folder per web service."""
    return Path(record.folder) / "services"


def engine(record):
    """The workspace state engine with the services table in place."""
    eng = store.engine(record)
    store.ensure(metadata, eng)
    return eng


def _from_row(record, row) -> ServiceRecord:
    values = row._asdict()
    values["created_time"] = datetime.fromisoformat(values["created_time"])
    values["updated_time"] = datetime.fromisoformat(values["updated_time"])
    folder = services_dir(record) / row.name
    on_socket = not values["port"] and (folder / SOCKET_FILE).exists()  # a sandboxed server (no port)
    address = gateway.service_address(record, row.name, values["port"], on_socket=on_socket)
    return ServiceRecord(folder=folder, address=address, **values)


def find(record, name: str) -> ServiceRecord | None:
    """The stored row for `name`, or None."""
    with engine(record).connect() as conn:
        row = conn.execute(sa.select(services_table).where(services_table.c.name == name)).first()
    return _from_row(record, row) if row else None


def get(record, name: str) -> ServiceRecord:
    """The stored row for `name`; raises NotFound (WebserviceNotFound) when absent."""
    found = find(record, name)
    if found is None:
        raise NotFound(SERVICE, messages.SERVICE_NOT_FOUND.format(name=name))
    return found


def all_rows(record) -> list[ServiceRecord]:
    """Every stored service, oldest first."""
    with engine(record).connect() as conn:
        rows = conn.execute(sa.select(services_table).order_by(services_table.c.created_time)).all()
    return [_from_row(record, r) for r in rows]


def insert(record, **values) -> None:
    """Store a new service row."""
    with engine(record).begin() as conn:
        conn.execute(services_table.insert().values(**values))


def update(record, name: str, **values) -> ServiceRecord:
    """Change some columns of a service (updated_time is set too) and return the new record."""
    values.setdefault("updated_time", now())
    with engine(record).begin() as conn:
        conn.execute(services_table.update().where(services_table.c.name == name).values(**values))
    return get(record, name)


def claim(record, name: str, expected_pid: int | None, **values) -> bool:
    """Update the row only if its pid is still `expected_pid` (so two processes never both restart it)."""
    values.setdefault("updated_time", now())
    pid_column = services_table.c.pid
    same_pid = pid_column.is_(None) if expected_pid is None else pid_column == expected_pid
    with engine(record).begin() as conn:
        result = conn.execute(services_table.update()
                              .where(services_table.c.name == name, same_pid).values(**values))
    return result.rowcount == 1


def remove(record, name: str) -> None:
    """Forget a service row."""
    with engine(record).begin() as conn:
        conn.execute(services_table.delete().where(services_table.c.name == name))
