"""Helpers the labs' `setup` code calls (inside a fresh interpreter with the simulator active).

They give a lab its prerequisites so it can start on its own: a workspace with its config file in the lab
folder, the lab data set, sometimes a trained and registered model.
"""

from __future__ import annotations

import json
from pathlib import Path

from labs import data

STATE_FILE = ".dp100-lab.json"  # labs.state.STATE_FILE (not imported: this runs in the setup process)

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
RESOURCE_GROUP = "rg-dp100-labs"
# SDK v2 labs build their own clusters; lab 05 cuts eastus's DSv2 quota to 8 cores (and labs 01 and 05 keep 6 of
# them), so the v2 labs' workspaces live in a region whose quota is the subscription's default.
V2_LOCATION = "eastus2"


def attempt_suffix(folder: str | Path = ".") -> str:
    """Five hex digits that name this attempt's resources (from the lab folder's attempt file)."""
    try:
        seed = json.loads((Path(folder) / STATE_FILE).read_text())["seed"]
    except (OSError, ValueError, KeyError):
        return "00000"
    return f"{int(seed) % 16 ** 5:05x}"


def lab_workspace_name(lab_id: str, folder: str | Path = ".") -> str:
    """The name of this attempt's workspace, `mlw-lab<NN>-<suffix>`."""
    return f"mlw-lab{lab_id}-{attempt_suffix(folder)}"


def workspace_for_lab(lab_id: str, folder: str | Path = ".", location: str = "eastus"):
    """Create (or reuse) this attempt's workspace `mlw-lab<NN>-<suffix>` in `location` and write its config into
    `folder`.

    Each attempt gets its own name, so a reset never meets the previous attempt's workspace (or anything a
    process still holds open of it), and two learners never share one. A lab that builds a cluster names a region
    of its own: labs 01 and 05 hold most of East US's DSv2 quota.
    """
    from azureml.core import Workspace

    name = lab_workspace_name(lab_id, folder)
    try:
        ws = Workspace.get(name, subscription_id=SUBSCRIPTION, resource_group=RESOURCE_GROUP)
    except Exception:  # noqa: BLE001 - absent: create it
        ws = Workspace.create(name, subscription_id=SUBSCRIPTION, resource_group=RESOURCE_GROUP,
                              create_resource_group=True, location=location, sku="basic")
    ws.write_config(path=str(folder))
    return ws


def workspace_v2_for_lab(lab_id: str, folder: str | Path = ".", location: str = V2_LOCATION) -> dict:
    """Create (or reuse) this attempt's workspace for an SDK v2 lab and write `config.json` into `folder`.

    The workspace is named as `workspace_for_lab` names it; the file is the one the studio's "Download
    config.json" gives, which `MLClient.from_config(credential=DefaultAzureCredential())` finds in the current
    folder. The workspace is made by the service directly (as a lab's own `setup.sh` does with `az ml workspace
    create`), so set-up does not pay for importing an SDK. Returns the config written.
    """
    from sim.cloud import workspaces

    name = lab_workspace_name(lab_id, folder)
    workspaces.create(SUBSCRIPTION, RESOURCE_GROUP, name, location=location, create_resource_group=True,
                      exist_ok=True)
    config = {"subscription_id": SUBSCRIPTION, "resource_group": RESOURCE_GROUP, "workspace_name": name}
    (Path(folder) / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return config


def _v2_workspace(folder: str | Path = "."):
    """The workspace record that `folder`'s config.json names (written by `workspace_v2_for_lab`)."""
    from labs.grading import workspace_from_config

    record = workspace_from_config(Path(folder))
    if record is None:
        raise RuntimeError(f"No workspace config in {Path(folder).resolve()}; call workspace_v2_for_lab first.")
    return record


def cluster_v2(name: str = "aml-cluster", vm_size: str = "STANDARD_DS11_V2", max_nodes: int = 2,
               folder: str | Path = "."):
    """Give the lab's workspace a compute cluster (0 to `max_nodes` nodes), unless it has one of that name."""
    from sim.cloud import compute

    record = _v2_workspace(folder)
    return compute.find(record, name) or compute.create_cluster(record, name, vm_size, min_nodes=0,
                                                                 max_nodes=max_nodes,
                                                                 idle_seconds_before_scaledown=120)


def data_asset_v2(name: str, local_file: str | Path, folder: str | Path = ".", description: str = ""):
    """Register a local file as version 1 of a uri_file data asset (uploaded to the default datastore under
    `data-assets/<name>/`), as a lab's set-up script does with `az ml data create --type uri_file`."""
    from sim.cloud import data_assets, datastores

    record = _v2_workspace(folder)
    source = Path(folder) / local_file
    target = f"data-assets/{name}/{source.name}"
    store = datastores.default(record).name
    datastores.upload(record, store, [(source, target)], overwrite=True)
    asset, _ = data_assets.create_or_update(record, name, "1", data_type=data_assets.URI_FILE,
                                            path=f"azureml://datastores/{store}/paths/{target}",
                                            description=description or None)
    return asset


def mltable_asset_v2(name: str, rows: int | None = None, folder: str | Path = ".", description: str = ""):
    """Write the diabetes data (`rows` of it) with an MLTable file into the folder `<name>` and register it as
    version 1 of an mltable data asset, as `az ml data create --type mltable` does in a lab's set-up script."""
    from sim.cloud import data_assets, datastores

    record = _v2_workspace(folder)
    local = Path(folder) / name
    data.write_csv(local, rows=rows)
    (local / "MLTable").write_text("paths:\n  - file: ./diabetes.csv\ntransformations:\n  - read_delimited:\n"
                                   "      delimiter: ','\n      encoding: 'utf8'\n", encoding="utf-8")
    store = datastores.default(record).name
    datastores.upload(record, store, [(p, f"data-assets/{name}/{p.name}") for p in sorted(local.iterdir())],
                      overwrite=True)
    asset, _ = data_assets.create_or_update(record, name, "1", data_type=data_assets.MLTABLE,
                                            path=f"azureml://datastores/{store}/paths/data-assets/{name}/",
                                            description=description or None)
    return asset


def diabetes_classifier(algorithm: str = "logistic"):
    """A classifier fitted on the lab data's stated training split, its features as a DataFrame of doubles:
    "logistic" (LogisticRegression, reg_rate 0.01) or "tree" (DecisionTreeClassifier, max_depth 5)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.tree import DecisionTreeClassifier

    frame = data.frame()
    X_train, _, y_train, _ = train_test_split(frame[data.FEATURES].astype(float), frame[data.LABEL],
                                              test_size=data.TEST_SIZE, random_state=data.SPLIT_RANDOM_STATE)
    estimator = {"logistic": lambda: LogisticRegression(C=100, solver="liblinear"),
                 "tree": lambda: DecisionTreeClassifier(max_depth=5, random_state=0)}[algorithm]()
    return estimator.fit(X_train, y_train)


def mlflow_model_v2(name: str, estimator, folder: str | Path = ".", description: str = "", tags: dict | None = None):
    """Register a fitted classifier of the lab data as the next version of the MLflow model `name`, as a lab's
    set-up script does with `az ml model create --type mlflow_model`.

    The model is saved as MLflow saves it (sklearn and python_function flavors, a signature of the eight feature
    columns as doubles; pickled with cloudpickle, which a deployment loads fastest), uploaded to the default
    datastore under `models/<name>/<version>/model/` and registered from there. Returns the version
    (`sim.cloud.models.assets.ModelAsset`).
    """
    import tempfile

    import mlflow.sklearn
    from mlflow.models import infer_signature

    from sim.cloud import datastores
    from sim.cloud.models import assets

    record = _v2_workspace(folder)
    version = assets.next_version(record, name)
    store, target = datastores.default(record).name, f"models/{name}/{version}/model"
    features = data.frame()[data.FEATURES].astype(float)
    with tempfile.TemporaryDirectory() as scratch:
        local = Path(scratch) / "model"
        mlflow.sklearn.save_model(estimator, str(local), serialization_format="cloudpickle",
                                  signature=infer_signature(features, estimator.predict(features)),
                                  pip_requirements=["scikit-learn", "pandas"])
        files = [(p, f"{target}/{p.relative_to(local).as_posix()}") for p in local.rglob("*") if p.is_file()]
        datastores.upload(record, store, files, overwrite=True)
    request = assets.ModelRequest(model_uri=f"azureml://datastores/{store}/paths/{target}",
                                  model_type=assets.MLFLOW_MODEL, description=description or None,
                                  tags=dict(tags or {}))
    return assets.create_or_update(record, name, version, request)[0]


def online_endpoint_v2(name: str, deployment: str | None = None, model: str | None = None,
                       folder: str | Path = ".", description: str = ""):
    """Create a key-authenticated managed online endpoint and, when `deployment` is named, an MLflow deployment of
    `model` ("<name>:<version>") with all the traffic; its scoring server starts in the background."""
    from sim.cloud.endpoints import deployments, online

    record = _v2_workspace(folder)
    online.create_or_update(record, name, auth_mode="key", description=description or None)
    if deployment:
        deployments.create_or_update(record, name, deployment, deployments.DeploymentSpec(
            instance_type="Standard_DS3_v2", instance_count=1, model=model))
        online.create_or_update(record, name, auth_mode="key", description=description or None,
                                traffic={deployment: 100})


def write_request(path: str | Path = "sample-data.json", rows: int = 2) -> Path:
    """Write a scoring request for an MLflow deployment: the first `rows` patients of the test split, in the
    `input_data` (pandas split) shape Azure's MLflow server reads."""
    from sklearn.model_selection import train_test_split

    frame = data.frame()
    _, X_test = train_test_split(frame[data.FEATURES], test_size=data.TEST_SIZE, random_state=data.SPLIT_RANDOM_STATE)
    sample = X_test.head(rows)
    body = {"input_data": {"columns": list(sample.columns), "index": list(range(len(sample))),
                           "data": sample.astype(object).to_numpy().tolist()}}
    path = Path(path)
    path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return path


def write_unlabeled_patients(folder: str | Path = "patient-data", files: int = 4, rows: int = 25) -> list[Path]:
    """Write `files` CSV files of `rows` test-split patients each, the eight features only (no label): the data a
    batch endpoint scores. Returns the files' paths."""
    from sklearn.model_selection import train_test_split

    frame = data.frame()
    _, X_test = train_test_split(frame[data.FEATURES], test_size=data.TEST_SIZE, random_state=data.SPLIT_RANDOM_STATE)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"patients-{i + 1}.csv" for i in range(files)]
    for i, path in enumerate(paths):
        X_test.iloc[i * rows:(i + 1) * rows].to_csv(path, index=False)
    return paths


def write_data(folder: str | Path = "data") -> Path:
    """Write the lab data set as `<folder>/diabetes.csv` (and a smaller second file for file datasets)."""
    path = data.write_csv(folder)
    return path


def copy_resource(name: str, target: str | Path) -> Path:
    """Copy a file from `labs/resources/` into the lab folder (e.g. the training script)."""
    import shutil

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(Path(__file__).parent / "resources" / name, target)
    return target


def set_core_quota(ws, family: str, cores: int) -> None:
    """Give the lab's subscription a small regional core quota for one VM family (to practise sizing)."""
    from sim.cloud import compute

    compute.set_quota_limit(ws._record, family, cores)


def register_trained_model(ws, name: str = "diabetes-model", reg_rate: float = 0.01):
    """Train the lab's logistic regression here and register it (a model for labs that start at deployment).

    The model is registered from a local file with its real test scores as properties.
    """
    import joblib
    from azureml.core import Model
    from sklearn.linear_model import LogisticRegression

    X_train, _, y_train, _ = data.split()
    model = LogisticRegression(C=1 / reg_rate, solver="liblinear").fit(X_train, y_train)
    scores = data.score_model(model)
    Path("models").mkdir(exist_ok=True)
    joblib.dump(model, "models/diabetes_model.pkl")
    return Model.register(ws, model_path="models/diabetes_model.pkl", model_name=name,
                          tags={"training_context": "set-up"},
                          properties={k: round(v, 4) for k, v in scores.items()})
