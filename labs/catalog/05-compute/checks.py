"""Checks of lab 05 (compute and environments): registered definitions, cluster size, where a run ran."""

from __future__ import annotations

import tempfile
from pathlib import Path

from labs import checklib
from labs.grading import failed, needs, passed

ENV, COPY, CURATED = "diabetes-env", "sklearn-copy", "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu"
CLUSTER, SIZE, FAMILY, EXPERIMENT = "cpu-cluster-lab05", "STANDARD_DS11_V2", "standardDSv2Family", "train-on-cluster"


def _environment(record, name):
    from sim.cloud import environments

    registered = {k: v for k, v in environments.list_latest(record).items() if not k.startswith("AzureML")}
    return registered.get(name)


def _packages(definition) -> tuple[list[str], list[str]]:
    conda = ((definition or {}).get("python") or {}).get("condaDependencies") or {}
    deps = conda.get("dependencies") or []
    conda_names = [str(d).split("=")[0].split("<")[0].split(">")[0].strip() for d in deps if isinstance(d, str)]
    pip = [p for d in deps if isinstance(d, dict) for p in d.get("pip", [])]
    pip_names = [str(p).split("=")[0].split("<")[0].split(">")[0].strip() for p in pip]
    return conda_names, pip_names


def environment_registered(record):
    if _environment(record, ENV) is None:
        return failed(f"No environment named '{ENV}' is registered. Create it with "
                      "Environment.from_conda_specification and call env.register(workspace=ws).",
                      pt=f"Nenhum ambiente chamado '{ENV}' está registrado. Crie-o com "
                         "Environment.from_conda_specification e chame env.register(workspace=ws).")
    return passed(f"'{ENV}' is registered.", pt=f"'{ENV}' está registrado.")


@needs("environment_registered")
def environment_has_training_packages(record):
    conda, pip = _packages(_environment(record, ENV))
    missing = [p for p in ("scikit-learn", "pandas", "joblib") if p not in conda + pip]
    if missing:
        return failed(f"'{ENV}' lacks packages the training script imports: {', '.join(missing)}.",
                      expected=["scikit-learn", "pandas", "joblib"], found=conda + pip,
                      pt=f"Faltam em '{ENV}' pacotes que o script de treinamento importa: {', '.join(missing)}.")
    if "azureml-defaults" not in pip:
        where = "among the conda packages" if "azureml-defaults" in conda else "missing"
        where_pt = "entre os pacotes conda" if "azureml-defaults" in conda else "ausente"
        return failed(f"azureml-defaults must be a pip package of '{ENV}' (it is {where}).",
                      expected="pip: [azureml-defaults]", found={"conda": conda, "pip": pip},
                      pt=f"azureml-defaults precisa ser um pacote pip de '{ENV}' (ele está {where_pt}).")
    return passed(f"'{ENV}' has the packages training needs.",
                  pt=f"'{ENV}' tem os pacotes de que o treinamento precisa.")


def curated_copy_registered(record):
    if _environment(record, COPY) is None:
        return failed(f"No environment '{COPY}' is registered. Clone the curated environment with "
                      "curated.clone('sklearn-copy') and register the clone.",
                      pt=f"Nenhum ambiente '{COPY}' está registrado. Clone o ambiente selecionado com "
                         "curated.clone('sklearn-copy') e registre o clone.")
    return passed(f"'{COPY}' is registered.", pt=f"'{COPY}' está registrado.")


@needs("curated_copy_registered")
def curated_copy_matches_original(record):
    from sim.cloud import environments

    copy = _environment(record, COPY)
    original = environments.get(record, CURATED)
    if copy is None or _packages(copy) != _packages(original):
        return failed(f"'{COPY}' does not have the packages of {CURATED}: clone that curated environment "
                      "rather than building a new one.", expected=_packages(original),
                      found=_packages(copy) if copy else None,
                      pt=f"'{COPY}' não tem os pacotes de {CURATED}: clone esse ambiente selecionado em vez de "
                         "montar um novo.")
    return passed(f"'{COPY}' is a copy of {CURATED}.", pt=f"'{COPY}' é uma cópia de {CURATED}.")


def _cluster(record):
    from sim.cloud import compute

    return compute.find(record, CLUSTER)


def cluster_exists(record):
    cluster = _cluster(record)
    if cluster is None:
        return failed(f"There is no compute target '{CLUSTER}'. Create it with "
                      "ComputeTarget.create(ws, name, AmlCompute.provisioning_configuration(...)).",
                      pt=f"Não existe o destino de computação '{CLUSTER}'. Crie-o com ComputeTarget.create(ws, name, "
                         "AmlCompute.provisioning_configuration(...)).")
    if cluster.type != "AmlCompute":
        return failed(f"'{CLUSTER}' is a {cluster.type}; training jobs need a cluster (AmlCompute).",
                      expected="AmlCompute", found=cluster.type,
                      pt=f"'{CLUSTER}' é um {cluster.type}; trabalhos de treinamento precisam de um cluster "
                         "(AmlCompute).")
    return passed(f"Cluster '{CLUSTER}' exists.", pt=f"O cluster '{CLUSTER}' existe.")


@needs("cluster_exists")
def cluster_sized_within_quota(record):
    from sim.cloud import compute

    cluster = _cluster(record)
    found = {"vm_size": getattr(cluster, "vm_size", None), "min_nodes": getattr(cluster, "min_nodes", None),
             "max_nodes": getattr(cluster, "max_nodes", None)}
    expected = {"vm_size": SIZE, "min_nodes": 0, "max_nodes": 2}
    if cluster is None or str(found["vm_size"]).upper() != SIZE or found["min_nodes"] != 0 or found["max_nodes"] != 2:
        quota = compute.quota_limit(record, FAMILY)
        return failed("The cluster is not sized as asked: min_nodes=0 lets it scale to zero when idle, and "
                      f"max_nodes=2 of {SIZE} stays within the {quota}-core quota.",
                      expected=expected, found=found,
                      pt="O cluster não está dimensionado como pedido: min_nodes=0 permite que ele escale a zero "
                         f"quando ocioso, e max_nodes=2 de {SIZE} fica dentro da cota de "
                         f"{quota} núcleos.")
    return passed("The cluster is sized within quota and scales to zero.",
                  pt="O cluster está dimensionado dentro da cota e escala a zero.")


def _cluster_runs(record):
    from sim.cloud.runs import state

    return [r for r in checklib.runs(record, EXPERIMENT) if r["run_type"] != state.INTERACTIVE]


def _completed(record):
    return next((r for r in _cluster_runs(record) if checklib.run_status(record, r["run_id"]) == "Completed"), None)


def cluster_run_completed(record):
    runs = _cluster_runs(record)
    if not runs:
        return failed(f"The experiment '{EXPERIMENT}' has no submitted runs yet.",
                      pt=f"O experimento '{EXPERIMENT}' ainda não tem execuções enviadas.")
    if _completed(record) is None:
        return failed("No run of the experiment completed; read the latest run's driver log.",
                      expected="Completed", found=checklib.run_status(record, runs[0]["run_id"]),
                      pt="Nenhuma execução do experimento foi concluída; leia o log do driver da execução mais "
                         "recente.")
    return passed("A training run completed.", pt="Uma execução de treinamento foi concluída.")


@needs("cluster_run_completed")
def run_used_cluster(record):
    run = _completed(record)
    target = checklib.run_definition(record, run["run_id"]).get("target") if run else None
    if target != CLUSTER:
        return failed(f"The latest completed run ran on '{target}', not on the cluster: pass "
                      "compute_target=cluster to the ScriptRunConfig.", expected=CLUSTER, found=target,
                      pt=f"A execução concluída mais recente rodou em '{target}', não no cluster: passe "
                         "compute_target=cluster ao ScriptRunConfig.")
    return passed("The run ran on the cluster.", pt="A execução rodou no cluster.")


@needs("cluster_run_completed")
def run_used_registered_environment(record):
    run = _completed(record)
    env = (checklib.run_definition(record, run["run_id"]).get("environment") or {}) if run else {}
    if env.get("name") != ENV:
        return failed(f"The run did not use the registered environment '{ENV}'; pass "
                      "environment=Environment.get(ws, 'diabetes-env').", expected=ENV, found=env.get("name"),
                      pt=f"A execução não usou o ambiente registrado '{ENV}'; passe environment=Environment.get(ws, "
                         "'diabetes-env').")
    return passed(f"The run used '{ENV}'.", pt=f"A execução usou '{ENV}'.")


@needs("cluster_run_completed")
def cluster_run_metrics_true(record, data):
    run = _completed(record)
    if run is None or "outputs/diabetes_model.pkl" not in checklib.file_names(record, run["run_id"]):
        return failed("The cluster run has no outputs/diabetes_model.pkl to compare its metrics with.",
                      pt="A execução no cluster não tem outputs/diabetes_model.pkl com que comparar as métricas.")
    import joblib

    with tempfile.TemporaryDirectory() as tmp:
        path = checklib.download(record, run["run_id"], "outputs/diabetes_model.pkl", Path(tmp) / "m.pkl")
        true = data.score_model(joblib.load(path))
    logged = checklib.metrics(record, run["run_id"])
    found = {"accuracy": checklib.scalar(logged.get("accuracy")), "reg_rate": checklib.scalar(logged.get("reg_rate"))}
    if not checklib.near(found["accuracy"], true["accuracy"]) or not checklib.near(found["reg_rate"], 0.05, 1e-9):
        return failed("The run's metrics do not match its model, or it was not trained with --reg-rate 0.05.",
                      expected={"accuracy": round(true["accuracy"], 4), "reg_rate": 0.05}, found=found,
                      pt="As métricas da execução não batem com o modelo dela, ou o treinamento não usou "
                         "--reg-rate 0.05.")
    return passed("The cluster run's metrics are its model's real scores.",
                  pt="As métricas da execução no cluster são as pontuações reais do modelo dela.")
