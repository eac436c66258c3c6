"""Contract tests of the simulated service itself: sim.cloud.datastores and sim.cloud.datasets.

These talk to the cloud layer with a workspace record only (no SDK objects), as the facade, the graders
and the Studio page do.
"""

from __future__ import annotations

import json
import threading

import pytest

from sim.cloud import datasets, datastores, keyvault, workspaces
from sim.cloud.errors import Conflict, NotFound, UserError
from tests.sim._data_helpers import SUB, diabetes_frame


@pytest.fixture()
def record():
    return workspaces.create(SUB, "cloud-rg", "cloud-ws", location="eastus")


@pytest.fixture()
def uploaded(record, tmp_path):
    path = tmp_path / "d.csv"
    diabetes_frame(40, 5).to_csv(path, index=False)
    datastores.upload(record, "workspaceblobstore", [(path, "data/d.csv"), (path, "data/sub/e.csv")])
    return record


def _definition(kind="tabular", path="data/**/*.csv"):
    definition = {"type": kind, "sources": [{"datastore": "workspaceblobstore", "path": path}], "steps": []}
    if kind == "tabular":
        definition["reader"] = {"format": "delimited", "header": "ALL_FILES_HAVE_SAME_HEADERS"}
    return definition


def test_new_workspace_has_two_defaults_and_blob_is_default(record):
    names = [d.name for d in datastores.list(record)]
    assert names == ["workspaceblobstore", "workspacefilestore"]
    assert datastores.default(record).name == "workspaceblobstore"
    datastores.create_defaults(record)  # idempotent
    assert len(datastores.list(record)) == 2


def test_default_store_folders_live_under_storage_root(record):
    root = datastores.content_root(record, "workspaceblobstore")
    assert root.is_dir() and record.storage_root in root.parents
    assert datastores.content_root(record, "workspacefilestore") != root


def test_register_records_no_secret_in_state(record):
    rec = datastores.register(record, "ext", datastores.AZURE_BLOB, {"container_name": "c", "account_name": "a"},
                              {"account_key": "top-secret"})
    assert rec.credential_type == "AccountKey" and rec.secret_fields == ("account_key",)
    assert "top-secret" not in json.dumps(rec.properties)
    assert datastores.secrets(record, "ext") == {"account_key": "top-secret"}
    assert keyvault.get_secret(record, "datastore-ext-account-key") == "top-secret"


def test_get_unknown_and_bad_names(record):
    with pytest.raises(NotFound, match="Could not find datastore: nope"):
        datastores.get(record, "nope")
    with pytest.raises(UserError, match="letters, digits and underscores"):
        datastores.register(record, "bad name", datastores.DBFS, {})


def test_database_datastores_hold_no_files(record):
    datastores.register(record, "sql", datastores.AZURE_SQL_DATABASE, {"server_name": "s", "database_name": "d"},
                        {"password": "p"})
    assert datastores.get(record, "sql").credential_type == "SqlAuthentication"
    with pytest.raises(UserError, match="holds no files"):
        datastores.content_root(record, "sql")


def test_clean_relative_paths():
    assert datastores.clean_relative("./a\\b/") == "a/b"
    assert datastores.clean_relative("/x//y") == "x/y"
    assert datastores.clean_relative("../up") == "up"  # the SDK strips leading ./ and ../ too
    with pytest.raises(UserError, match="may not contain"):
        datastores.clean_relative("a/../../outside")


def test_upload_skips_existing_unless_overwrite(record, tmp_path):
    src = tmp_path / "f.txt"
    src.write_text("one")
    assert datastores.upload(record, "workspaceblobstore", [(src, "f.txt")]) == 1
    src.write_text("two")
    assert datastores.upload(record, "workspaceblobstore", [(src, "f.txt")]) == 0
    assert datastores.upload(record, "workspaceblobstore", [(src, "f.txt")], overwrite=True) == 1
    assert (datastores.content_root(record, "workspaceblobstore") / "f.txt").read_text() == "two"


def test_resolve_globs_folders_and_files(uploaded):
    def rel(path):
        return [f.relative for f in datasets.resolve(uploaded, [{"datastore": "workspaceblobstore", "path": path}])]

    assert rel("data/*.csv") == ["/d.csv"]
    assert rel("data/**/*.csv") == ["/d.csv", "/sub/e.csv"]
    assert rel("data/") == ["/d.csv", "/sub/e.csv"]
    assert rel("data/sub/e.csv") == ["/e.csv"]
    assert rel("nothing/*.csv") == []


def test_require_files_raises_validation_error(uploaded):
    with pytest.raises(UserError, match="Found no resources") as caught:
        datasets.require_files(uploaded, [{"datastore": "workspaceblobstore", "path": "zzz"}])
    assert (caught.value.status, caught.value.code) == (400, "ValidationError")


def test_save_is_idempotent_and_canonical(uploaded):
    a = datasets.save(uploaded, _definition())
    b = datasets.save(uploaded, json.loads(json.dumps(_definition(), sort_keys=False)))
    assert a == b
    assert datasets.save(uploaded, _definition(path="data/*.csv")) != a


def test_register_versions(uploaded):
    v1 = datasets.register(uploaded, _definition(), "ds", tags={"k": 1})
    assert (v1.version, v1.tags) == (1, {"k": "1"})
    same = datasets.register(uploaded, _definition(), "ds", create_new_version=True)
    assert same.version == 1
    v2 = datasets.register(uploaded, _definition(path="data/*.csv"), "ds", create_new_version=True)
    assert v2.version == 2 and datasets.get_by_name(uploaded, "ds").version == 2
    assert [i.version for i in datasets.versions(uploaded, "ds")] == [1, 2]
    with pytest.raises(Conflict, match="already a dataset registered"):
        datasets.register(uploaded, _definition(path="data/sub/*.csv"), "ds")
    assert datasets.unregister_all_versions(uploaded, "ds") == 2
    assert datasets.list_latest(uploaded) == []
    v3 = datasets.register(uploaded, _definition(), "ds")
    assert v3.version == 3  # versions are never reused


def test_concurrent_saves_agree_on_one_id(uploaded, monkeypatch):
    # RBAC is checked elsewhere; here it is bypassed because dp100.paths.ensure_home's shared write probe
    # races between threads (reported to the lead), which is not what this test is about.
    monkeypatch.setattr(datasets.access, "authorize", lambda record, action: None)
    ids, errors = [], []

    def save():
        try:
            ids.append(datasets.save(uploaded, _definition(path="data/sub/")))
        except Exception as exc:  # collect, the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=save) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(ids)) == 1



def test_processes_registering_one_name_get_distinct_versions(uploaded):
    """Three processes (a kernel, a script, a grader...) register at once: no lost or doubled version."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys\n"
            "from sim.cloud import datasets, workspaces\n"
            "record = workspaces.get(sys.argv[1], sys.argv[2], sys.argv[3])\n"
            "definition = {'type': 'file', 'steps': [], 'sources': [{'datastore': 'workspaceblobstore', "
            "'path': 'data/' + sys.argv[4]}]}\n"
            "print(datasets.register(record, definition, 'shared', create_new_version=True).version)\n")
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true")
    procs = [subprocess.Popen([sys.executable, "-c", code, uploaded.subscription_id, uploaded.resource_group,
                               uploaded.name, glob], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=root, env=env)
             for glob in ("*.csv", "sub/", "**/e.csv")]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    assert sorted(int(out) for out, _ in outputs) == [1, 2, 3]
    assert [i.version for i in datasets.versions(uploaded, "shared")] == [1, 2, 3]


def test_read_gives_graders_the_data(uploaded):
    datasets.register(uploaded, _definition(), "rows")
    datasets.register(uploaded, _definition(kind="file", path="data/"), "files")
    assert len(datasets.read(uploaded, "rows")) == 80
    assert sorted(p.name for p in datasets.read(uploaded, "files")) == ["d.csv", "e.csv"]
