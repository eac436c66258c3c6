"""Checks of lab 07 (capstone). Every name and value comes from the attempt's params."""

from __future__ import annotations

import json
import tempfile
import urllib.request
from pathlib import Path

from labs import checklib, grading
from labs.grading import failed, needs, passed

SIZE = "STANDARD_DS11_V2"
# Not eastus: labs 01 and 05 leave a compute instance and a cluster there (6 of the subscription's 8 DSv2 cores),
# so a capstone cluster of 2-3 nodes in eastus would break the regional quota for a learner who kept them.
REGIONS = ["westeurope", "brazilsouth", "uksouth", "australiaeast", "japaneast"]


def params(rng):
    """Names and values of one attempt (no two learners get the same)."""
    tag = f"{rng.randrange(16 ** 5):05x}"
    return {"resource_group": f"rg-capstone-{tag}", "workspace": f"mlw-capstone-{tag}",
            "region": rng.choice(REGIONS), "data_folder": f"capstone-{tag}",
            "dataset": f"diabetes-{rng.choice(['patients', 'clinic', 'screening', 'cohort'])}-{tag}",
            "cluster": f"cc-{tag}", "max_nodes": rng.choice([1, 2, 3]), "environment": f"env-capstone-{tag}",
            "experiment": f"capstone-train-{tag}", "reg_rate": rng.choice([0.05, 0.1, 0.2, 0.5]),
            "model": f"diabetes-{tag}", "service": f"svc-capstone-{tag}"}


def _ws(params):
    return checklib.find_workspace(params["resource_group"], params["workspace"])


def capstone_workspace_exists(params):
    record = _ws(params)
    if record is None:
        return failed(f"There is no workspace '{params['workspace']}' in '{params['resource_group']}' yet.",
                      expected=f"{params['resource_group']}/{params['workspace']}",
                      pt=f"Ainda não existe o workspace '{params['workspace']}' em '{params['resource_group']}'.")
    if record.location != params["region"]:
        return failed("The workspace is in another region; delete it and create it again in the right one.",
                      expected=params["region"], found=record.location,
                      pt="O workspace está em outra região; exclua-o e crie-o de novo na região certa.")
    return passed("The workspace exists in the right region.", pt="O workspace existe na região certa.")


def capstone_config_connects(folder, params):
    names = grading.read_config(folder)
    if names is None or names[1:] != (params["resource_group"], params["workspace"]):
        return failed("The lab folder has no config file for the capstone workspace (ws.write_config).",
                      expected=f"{params['resource_group']}/{params['workspace']}",
                      found="/".join(names[1:]) if names else None,
                      pt="A pasta do laboratório não tem um arquivo de configuração para o workspace do projeto "
                         "final (ws.write_config).")
    return passed("The config file connects to the capstone workspace.",
                  pt="O arquivo de configuração conecta ao workspace do projeto final.")


def capstone_dataset_reads_the_data(params, data):
    record = _ws(params)
    info = checklib.dataset(record, params["dataset"]) if record else None
    if info is None or info.dataset_type != "tabular":
        return failed(f"No tabular dataset '{params['dataset']}' is registered in the capstone workspace.",
                      found=info.dataset_type if info else None,
                      pt=f"Nenhum dataset tabular '{params['dataset']}' está registrado no workspace do projeto "
                         "final.")
    rows = len(checklib.dataset_frame(record, info))
    files = [str(f.path_on_datastore) for f in checklib.dataset_files(record, info)]
    if rows != data.ROWS or not all(f.startswith(params["data_folder"] + "/") for f in files):
        return failed(f"'{params['dataset']}' must read the 10,000 rows uploaded under {params['data_folder']}/.",
                      expected={"rows": data.ROWS, "folder": params["data_folder"]}, found={"rows": rows,
                                                                                          "files": files},
                      pt=f"'{params['dataset']}' precisa ler as 10.000 linhas enviadas para {params['data_folder']}/.")
    return passed("The dataset reads the uploaded data.", pt="O dataset lê os dados enviados.")


def capstone_cluster_sized(params):
    record = _ws(params)
    from sim.cloud import compute

    cluster = compute.find(record, params["cluster"]) if record else None
    found = ({"type": cluster.type, "vm_size": cluster.vm_size, "min_nodes": cluster.min_nodes,
              "max_nodes": cluster.max_nodes} if cluster else None)
    expected = {"type": "AmlCompute", "vm_size": SIZE, "min_nodes": 0, "max_nodes": params["max_nodes"]}
    if found is None or {**found, "vm_size": str(found["vm_size"]).upper()} != expected:
        return failed(f"The cluster '{params['cluster']}' is missing or not sized as asked.", expected=expected,
                      found=found,
                      pt=f"O cluster '{params['cluster']}' não existe ou não está dimensionado como pedido.")
    return passed("The cluster is sized as asked.", pt="O cluster está dimensionado como pedido.")


def capstone_environment_packages(params):
    record = _ws(params)
    from sim.cloud import environments

    registered = environments.list_latest(record).get(params["environment"]) if record else None
    conda = ((registered or {}).get("python") or {}).get("condaDependencies") or {}
    deps = conda.get("dependencies") or []
    names = {str(d).split("=")[0] for d in deps if isinstance(d, str)}
    pip = {str(p).split("=")[0] for d in deps if isinstance(d, dict) for p in d.get("pip", [])}
    if registered is None or not {"scikit-learn", "pandas", "joblib"} <= names | pip or "azureml-defaults" not in pip:
        return failed(f"The environment '{params['environment']}' is not registered with scikit-learn, pandas, "
                      "joblib and pip azureml-defaults.", found={"conda": sorted(names), "pip": sorted(pip)},
                      pt=f"O ambiente '{params['environment']}' não está registrado com scikit-learn, pandas, joblib "
                         "e o pacote pip azureml-defaults.")
    return passed("The environment has what training and scoring need.",
                  pt="O ambiente tem o de que o treinamento e a pontuação precisam.")


def _training_run(record, params):
    from sim.cloud.runs import state

    for run in checklib.runs(record, params["experiment"]) if record else []:
        if run["run_type"] != state.INTERACTIVE and checklib.run_status(record, run["run_id"]) == "Completed":
            return run
    return None


def capstone_run_on_cluster_with_inputs(params):
    record = _ws(params)
    run = _training_run(record, params)
    if run is None:
        return failed(f"The experiment '{params['experiment']}' has no completed script run.",
                      pt=f"O experimento '{params['experiment']}' não tem nenhuma execução de script concluída.")
    definition = checklib.run_definition(record, run["run_id"])
    info = checklib.dataset(record, params["dataset"])
    inputs = {i["name"]: i["argument"] for i in definition.get("inputDatasets", [])}
    found = {"target": definition.get("target"), "environment": (definition.get("environment") or {}).get("name"),
             "training_data": inputs.get("training_data")}
    expected = {"target": params["cluster"], "environment": params["environment"],
                "training_data": info.id if info else params["dataset"]}
    if found != expected:
        return failed("The training run must run on the cluster, in the registered environment, with the dataset "
                      "as the named input 'training_data'.", expected=expected, found=found,
                      pt="A execução de treinamento precisa rodar no cluster, no ambiente registrado, com o dataset "
                         "como a entrada nomeada 'training_data'.")
    return passed("The training run used the cluster, environment and dataset.",
                  pt="A execução de treinamento usou o cluster, o ambiente e o dataset.")


def _run_model(record, run_id):
    import joblib

    with tempfile.TemporaryDirectory() as tmp:
        return joblib.load(checklib.download(record, run_id, "outputs/model.pkl", Path(tmp) / "m.pkl"))


@needs("capstone_run_on_cluster_with_inputs")
def capstone_metrics_true(params, data):
    record = _ws(params)
    run = _training_run(record, params)
    if run is None or "outputs/model.pkl" not in checklib.file_names(record, run["run_id"]):
        return failed("The training run saved no outputs/model.pkl.",
                      pt="A execução de treinamento não salvou outputs/model.pkl.")
    true = data.score_model(_run_model(record, run["run_id"]))
    logged = {k: checklib.scalar(v) for k, v in checklib.metrics(record, run["run_id"]).items()}
    ok = (checklib.near(logged.get("reg_rate"), params["reg_rate"], 1e-9)
          and all(checklib.near(logged.get(k), true[k]) for k in ("accuracy", "auc")))
    if not ok:
        return failed("The logged reg_rate, accuracy and auc must be the attempt's rate and the model's real test "
                      "scores.", expected={"reg_rate": params["reg_rate"], **{k: round(v, 4) for k, v in true.items()}},
                      found={k: logged.get(k) for k in ("reg_rate", "accuracy", "auc")},
                      pt="Os valores registrados de reg_rate, accuracy e auc precisam ser a taxa desta tentativa e "
                         "as pontuações reais do modelo na parte de teste.")
    return passed("The run's metrics are true.", pt="As métricas da execução são verdadeiras.")


def capstone_model_registered_from_run(params):
    record = _ws(params)
    versions = checklib.models(record, params["model"]) if record else []
    run = _training_run(record, params) if record else None
    if not versions:
        return failed(f"No model '{params['model']}' is registered.",
                      pt=f"Nenhum modelo '{params['model']}' está registrado.")
    latest = versions[0]
    if run is None or latest.run_id is None or latest.experiment_name != params["experiment"]:
        return failed("The model is not registered from the capstone training run (use run.register_model).",
                      expected=params["experiment"], found=latest.experiment_name,
                      pt="O modelo não foi registrado a partir da execução de treinamento do projeto final (use "
                         "run.register_model).")
    accuracy = checklib.scalar(checklib.metrics(record, latest.run_id).get("accuracy"))
    if not checklib.near(latest.properties.get("accuracy"), accuracy):
        return failed("The model's 'accuracy' property is not its run's logged accuracy.", expected=accuracy,
                      found=latest.properties.get("accuracy"),
                      pt="A propriedade 'accuracy' do modelo não é a accuracy registrada na execução dele.")
    return passed("The model is registered from its run with its accuracy.",
                  pt="O modelo está registrado a partir da própria execução, com a accuracy correspondente.")


def capstone_service_answers_like_the_model(params, data):
    record = _ws(params)
    from sim.cloud import services

    try:
        service = services.get(record, params["service"]) if record else None
    except Exception:  # noqa: BLE001 - not found
        service = None
    if service is None or service.state != "Healthy" or service.compute_type != "ACI":
        return failed(f"There is no Healthy ACI service '{params['service']}'.",
                      found=service and {"state": service.state, "type": service.compute_type},
                      pt=f"Não existe um serviço ACI '{params['service']}' no estado Healthy.")
    versions = checklib.models(record, params["model"])
    if not versions or versions[0].id not in service.model_ids:
        return failed(f"'{params['service']}' does not serve the latest '{params['model']}'.",
                      expected=versions[0].id if versions else None, found=list(service.model_ids),
                      pt=f"'{params['service']}' não serve a versão mais recente de '{params['model']}'.")
    rows = data.frame()[data.FEATURES].head(5).values
    request = urllib.request.Request(service.scoring_uri, data=json.dumps({"data": rows.tolist()}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            answer = json.loads(response.read())
    except Exception as exc:  # noqa: BLE001 - an HTTP error is the learner's to fix
        return failed(f"The service did not answer a scoring call ({exc}).",
                      pt=f"O serviço não respondeu a uma chamada de pontuação ({exc}).")
    expected = [int(p) for p in checklib.load_model(versions[0]).predict(rows)]
    if answer != expected:
        return failed("The service answers, but not with the model's 0/1 predictions.", expected=expected,
                      found=answer, pt="O serviço responde, mas não com as previsões 0/1 do modelo.")
    return passed("The service answers with the model's predictions.",
                  pt="O serviço responde com as previsões do modelo.")


def workspaces(params):
    """The workspace this attempt creates (deleted when the lab is reset)."""
    return [(params["resource_group"], params["workspace"])] if params else []
