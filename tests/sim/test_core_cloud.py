"""Contract tests of SIM-CORE's part of `sim/cloud`: what the other simulator modules build on."""

from __future__ import annotations

import dataclasses
import sys
import types

import pytest
import sqlalchemy as sa

from sim.cloud import access, compute, keyvault, store, workspaces
from sim.cloud.errors import COMPUTE, Conflict, Forbidden, NotFound, UserError

SUB = "00000000-0000-0000-0000-000000000000"


@pytest.fixture()
def record():
    return workspaces.create(SUB, "contract-rg", "contract-ws", location="eastus")


def test_record_is_frozen_and_carries_its_paths(record):
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.name = "other"
    assert record.folder.name == "contract-ws" and record.folder.is_dir()
    assert record.mlflow_uri == f"sqlite:///{record.mlflow_db}" and record.mlflow_db.is_file()
    assert record.storage_root.is_dir() and record.artifact_root.is_dir()
    assert record.arm_id == (f"/subscriptions/{SUB}/resourceGroups/contract-rg/providers/"
                             "Microsoft.MachineLearningServices/workspaces/contract-ws")
    assert workspaces.get(SUB, "contract-rg", "contract-ws") == record
    assert workspaces.get(SUB, "CONTRACT-RG", "Contract-WS") == record  # Azure names are case-insensitive


def test_mlflow_store_is_migrated_and_points_at_the_workspace(record):
    from mlflow.tracking import MlflowClient

    client = MlflowClient(record.mlflow_uri)
    experiment_id = client.create_experiment("contract", artifact_location=(record.artifact_root / "x").as_uri())
    run = client.create_run(experiment_id)
    client.log_metric(run.info.run_id, "m", 1.0)
    assert client.get_run(run.info.run_id).data.metrics == {"m": 1.0}


def test_get_raises_when_absent():
    with pytest.raises(NotFound, match="Workspace not found") as caught:
        workspaces.get(SUB, "nope-rg", "nope-ws")
    assert caught.value.body() == {"error": {"code": "ResourceNotFound", "message": caught.value.message}}
    assert workspaces.find(SUB, "nope-rg", "nope-ws") is None


def test_engine_is_cached_wal_with_busy_timeout(record):
    eng = store.engine(record)
    assert store.engine(record) is eng
    with eng.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == store.BUSY_TIMEOUT_MS


def test_ensure_creates_tables_once(record):
    metadata = sa.MetaData()
    sa.Table("contract_things", metadata, sa.Column("id", sa.Integer, primary_key=True))
    creates = []
    sa.event.listen(metadata, "before_create", lambda *a, **k: creates.append(1))
    eng = store.engine(record)
    store.ensure(metadata, eng)
    store.ensure(metadata, eng)
    assert creates == [1]
    with eng.begin() as conn:
        conn.execute(sa.text("INSERT INTO contract_things (id) VALUES (1)"))


def test_failed_create_leaves_nothing_behind(monkeypatch):
    from sim.cloud import _mlflow_store

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(_mlflow_store, "create_store", broken)
    with pytest.raises(OSError, match="disk full"):
        workspaces.create(SUB, "rg", "half-made", location="eastus")
    assert workspaces.find(SUB, "rg", "half-made") is None
    assert not list(workspaces._resource_group_dir(SUB, "rg").glob("workspaces/.*"))


def test_racing_create_of_the_same_workspace(record, monkeypatch):
    monkeypatch.setattr(workspaces, "find", lambda *a: None)  # as if the other process had not finished
    with pytest.raises(Conflict, match="already exists"):
        workspaces.create(SUB, "contract-rg", "contract-ws", location="eastus")


def test_lifecycle_hooks_run_on_create_and_delete(monkeypatch):
    calls = []
    probe = types.ModuleType("sim_contract_probe")
    probe.created = lambda rec: calls.append(("created", rec.name))
    probe.deleted = lambda rec: calls.append(("deleted", rec.name, rec.folder.exists()))
    monkeypatch.setitem(sys.modules, "sim_contract_probe", probe)
    monkeypatch.setattr(workspaces, "CREATED_HOOKS", (("sim_contract_probe", "created"),
                                                      ("sim.cloud.not_written_yet", "x")))
    monkeypatch.setattr(workspaces, "DELETED_HOOKS", (("sim_contract_probe", "deleted"),))
    rec = workspaces.create(SUB, "rg", "hooked", location="eastus")
    workspaces.delete(rec)
    assert calls == [("created", "hooked"), ("deleted", "hooked", True)]
    assert not rec.folder.exists()


def test_resource_groups():
    group = workspaces.create_resource_group(SUB, "my-rg", "East US")
    assert group["location"] == "eastus"
    assert workspaces.create_resource_group(SUB, "my-rg", "westus") == group  # idempotent, keeps its region
    assert [g["name"] for g in workspaces.list_resource_groups(SUB)] == ["my-rg"]
    with pytest.raises(UserError, match="Resource group name"):
        workspaces.create_resource_group(SUB, "bad name!", "eastus")
    with pytest.raises(UserError, match="not a valid GUID"):
        workspaces.create_resource_group("not-a-guid", "rg", "eastus")


def test_racing_creates_of_a_resource_group_all_get_the_first_ones_record():
    from concurrent.futures import ThreadPoolExecutor

    regions = ["eastus", "westus", "northeurope", "westeurope"] * 2
    for attempt in range(20):  # a reader once saw a half-written resourceGroup.json (JSONDecodeError)
        name = f"rg-race-{attempt}"
        with ThreadPoolExecutor(max_workers=len(regions)) as pool:
            made = list(pool.map(workspaces.create_resource_group, [SUB] * len(regions), [name] * len(regions),
                                 regions))
        assert all(group == made[0] for group in made)
        assert workspaces.get_resource_group(SUB, name) == made[0]


def test_authorize_default_owner_and_forced_roles(record, monkeypatch):
    action = "Microsoft.MachineLearningServices/workspaces/models/write"
    access.authorize(record, action)  # the account owner may do anything
    monkeypatch.setenv(access.ROLE_ENV, "Reader")
    with pytest.raises(Forbidden) as info:
        access.authorize(record, action)
    assert info.value.status == 403 and info.value.code == "AuthorizationFailed" and info.value.family == "access"
    assert action in str(info.value)
    with pytest.raises(Forbidden) as info:
        access.authorize(record, action, family=COMPUTE)
    assert info.value.family == COMPUTE
    monkeypatch.setenv(access.ROLE_ENV, "AzureML Data Scientist")
    access.authorize(record, action)


def test_keyvault_and_compute_contract(record):
    keyvault.set_secret(record, "datastore-key", "k")
    assert keyvault.get_secret(record, "datastore-key") == "k"
    with pytest.raises(NotFound, match="ComputeTargetNotFound"):
        compute.get(record, "missing")
    created = compute.create_cluster(record, "cpu-cluster", "STANDARD_DS11_V2", max_nodes=2)
    assert compute.get(record, "cpu-cluster") == created
    assert [c.name for c in compute.list_computes(record)] == ["cpu-cluster"]
    assert created.reserved_cores == 4 and created.size.family == "standardDSv2Family"
    assert compute.core_usage(record, "standardDSv2Family") == 4


def test_recreated_workspace_gets_a_fresh_engine(record):
    first = store.engine(record)
    compute.create_cluster(record, "old-cluster", "STANDARD_DS11_V2", max_nodes=1)
    workspaces.delete(record)
    again = workspaces.create(SUB, "contract-rg", "contract-ws", location="eastus")
    assert store.engine(again) is not first
    assert compute.list_computes(again) == []  # nothing leaks from the deleted workspace
