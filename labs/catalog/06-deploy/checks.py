"""Checks of lab 06 (deploy a real-time service).

The entry script is tried, not read: a probe process loads it like a scoring container with the registered
model and compares its answers with the model's own predictions.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from labs import checklib
from labs.grading import failed, needs, passed

MODEL, SERVICE, BROKEN = "diabetes-model", "diabetes-service", "diabetes-broken"
SCRIPT = "service-files/score_diabetes.py"
CLASSES = ["not-diabetic", "diabetic"]
PROBE_SECONDS = 60


def _rows(data, count=10):
    return data.frame()[data.FEATURES].head(count).values.tolist()


def _expected(record, data, count=10):
    versions = checklib.models(record, MODEL)
    model = checklib.load_model(versions[0])
    return [CLASSES[int(p)] for p in model.predict(data.frame()[data.FEATURES].head(count).values)]


def entry_script_present(folder):
    if not (folder / SCRIPT).is_file():
        return failed(f"{SCRIPT} does not exist yet. Write the entry script there (a %%writefile cell).",
                      pt=f"{SCRIPT} ainda não existe. Escreva o script de entrada nesse caminho (uma célula "
                         "%%writefile).")
    if not (folder / "service-files" / "environment.yml").is_file():
        return failed("service-files/environment.yml is missing; the service needs its own environment file.",
                      pt="Falta service-files/environment.yml; o serviço precisa do próprio arquivo de ambiente.")
    return passed("The entry script and environment file are in service-files/.",
                  pt="O script de entrada e o arquivo de ambiente estão em service-files/.")


def _probe(record, folder, data) -> dict:
    version = checklib.models(record, MODEL)[0]
    with tempfile.TemporaryDirectory() as root:
        target = Path(root) / "azureml-models" / version.name / str(version.version)
        target.mkdir(parents=True)
        source = version.path
        if source.is_dir():
            shutil.copytree(source, target / source.name)
        else:
            shutil.copy(source, target / source.name)
        from labs.kernel import kernel_env

        body = json.dumps({"data": _rows(data)})
        try:
            done = subprocess.run([sys.executable, "-m", "labs._score_probe", str(folder / SCRIPT), root, body],
                                  capture_output=True, text=True, timeout=PROBE_SECONDS, cwd=folder,
                                  env=kernel_env({"MPLBACKEND": "Agg"}))
        except subprocess.TimeoutExpired:
            return {"ok": False, "stage": "run", "error": f"the script did not answer in {PROBE_SECONDS} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {"ok": False, "stage": "import", "error": done.stderr[-400:]}


# What to look at, by the stage of the entry script that failed (import, init() or run()).
_ADVICE = {
    "import": ("Check the script's imports and top-level code.",
               "Confira os imports e o código de nível superior do script."),
    "init": ("In init(), load the model with Model.get_model_path('diabetes-model').",
             "Em init(), carregue o modelo com Model.get_model_path('diabetes-model')."),
    "run": ("run() gets a JSON string and must return something JSON can hold: a list or a dict (for a numpy "
            "array, .tolist()).",
            "run() recebe um texto JSON e deve devolver algo que o JSON represente: uma lista ou um dicionário "
            "(para um array numpy, .tolist())."),
}


@needs("entry_script_present")
def entry_script_scores_like_the_model(record, folder, data):
    if not (folder / SCRIPT).is_file():
        return failed("There is no entry script to try yet.", pt="Ainda não há script de entrada para testar.")
    outcome = _probe(record, folder, data)
    if not outcome["ok"]:
        advice, advice_pt = _ADVICE.get(outcome["stage"], _ADVICE["init"])
        return failed(f"The entry script fails in {outcome['stage']}(): {outcome['error']}. {advice}",
                      found=outcome["error"],
                      pt=f"O script de entrada falha em {outcome['stage']}(): {outcome['error']}. {advice_pt}")
    expected = _expected(record, data)
    if outcome["result"] != expected:
        return failed("The entry script answers, but not with the model's predictions as 'diabetic' / "
                      "'not-diabetic' labels.", expected=expected, found=outcome["result"],
                      pt="O script de entrada responde, mas não com as previsões do modelo como rótulos 'diabetic' "
                         "/ 'not-diabetic'.")
    return passed("The entry script loads the model and scores like it.",
                  pt="O script de entrada carrega o modelo e pontua como ele.")


def _service(record, name):
    from sim.cloud import services

    try:
        return services.get(record, name)
    except Exception:  # noqa: BLE001 - not found
        return None


def service_deployed_healthy(record):
    service = _service(record, SERVICE)
    if service is None:
        return failed(f"There is no service '{SERVICE}'. Deploy it with Model.deploy(...).",
                      pt=f"Não existe o serviço '{SERVICE}'. Implante-o com Model.deploy(...).")
    if service.state != "Healthy":
        return failed(f"'{SERVICE}' is {service.state}; read service.get_logs() to see why it is not Healthy.",
                      expected="Healthy", found=service.state,
                      pt=f"'{SERVICE}' está {service.state}; leia service.get_logs() para ver por que ele não está "
                         "Healthy.")
    return passed(f"'{SERVICE}' is Healthy.", pt=f"'{SERVICE}' está Healthy.")


@needs("service_deployed_healthy")
def service_uses_registered_model(record):
    service = _service(record, SERVICE)
    latest = checklib.models(record, MODEL)
    ids = list(service.model_ids) if service else []
    if not latest or latest[0].id not in ids:
        return failed(f"'{SERVICE}' does not serve the latest registered '{MODEL}'.",
                      expected=latest[0].id if latest else MODEL, found=ids,
                      pt=f"'{SERVICE}' não serve a versão registrada mais recente de '{MODEL}'.")
    return passed(f"'{SERVICE}' serves {latest[0].id}.", pt=f"'{SERVICE}' serve {latest[0].id}.")


@needs("service_deployed_healthy")
def service_is_aci_sized(record):
    service = _service(record, SERVICE)
    config = dict(service.config) if service else {}
    found = {"compute_type": service.compute_type if service else None, "cpu_cores": config.get("cpu_cores"),
             "memory_gb": config.get("memory_gb")}
    if found["compute_type"] != "ACI" or float(found["cpu_cores"] or 0) != 1 or float(found["memory_gb"] or 0) != 1:
        return failed("The service should run on Azure Container Instances with 1 CPU core and 1 GB "
                      "(AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)).",
                      expected={"compute_type": "ACI", "cpu_cores": 1, "memory_gb": 1}, found=found,
                      pt="O serviço deveria rodar no Azure Container Instances com 1 núcleo de CPU e 1 GB "
                         "(AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1)).")
    return passed("The service runs on ACI with 1 core and 1 GB.", pt="O serviço roda no ACI com 1 núcleo e 1 GB.")


def predictions_match_model(record, folder, data):
    found = checklib.read_json(folder / "predictions.json")
    if found is None:
        return failed("predictions.json is missing from the lab folder. Save the HTTP response's JSON there.",
                      pt="Falta predictions.json na pasta do laboratório. Salve ali o JSON da resposta HTTP.")
    expected = _expected(record, data)
    if found != expected:
        return failed("predictions.json is not what the model predicts for the first 10 patients; send the 8 "
                      "feature columns in the data set's order.", expected=expected, found=found,
                      pt="predictions.json não é o que o modelo prevê para os 10 primeiros pacientes; envie as 8 "
                         "colunas de features na ordem do conjunto de dados.")
    return passed("The predictions are the model's.", pt="As previsões são as do modelo.")


def service_answered_requests(record):
    from sim.cloud import services

    service = _service(record, SERVICE)
    text = services.logs(record, SERVICE) if service else ""
    calls = sum(1 for line in text.splitlines() if "POST /score" in line)
    if calls < 2:
        return failed("The service's log shows fewer than two scoring calls; call it once with service.run and "
                      "once with requests.post to scoring_uri.", expected=">= 2 POST /score", found=calls,
                      pt="O log do serviço mostra menos de duas chamadas de pontuação; chame-o uma vez com "
                         "service.run e outra com requests.post para scoring_uri.")
    return passed(f"The service answered {calls} scoring calls.",
                  pt=f"O serviço respondeu a {calls} chamadas de pontuação.")


def broken_logs_saved(folder):
    path = folder / "broken-logs.txt"
    if not path.is_file() or not path.read_text().strip():
        return failed("broken-logs.txt is missing or empty. Save broken.get_logs() there.",
                      pt="broken-logs.txt não existe ou está vazio. Salve ali o resultado de broken.get_logs().")
    return passed("The failed service's logs are saved.", pt="Os logs do serviço com falha estão salvos.")


@needs("broken_logs_saved")
def broken_logs_show_the_cause(folder):
    path = folder / "broken-logs.txt"
    text = path.read_text() if path.is_file() else ""
    if "diabetes-model-v9" not in text or "Traceback" not in text:
        return failed("broken-logs.txt does not show init()'s error about 'diabetes-model-v9'. Save the logs of "
                      "the failed deployment, not of the healthy one.",
                      pt="broken-logs.txt não mostra o erro de init() sobre 'diabetes-model-v9'. Salve os logs da "
                         "implantação com falha, não os da implantação saudável.")
    return passed("The logs show why the deployment failed.", pt="Os logs mostram por que a implantação falhou.")


def broken_service_deleted(record):
    service = _service(record, BROKEN)
    if service is not None:
        return failed(f"The failed service '{BROKEN}' still exists (state {service.state}). Delete it with "
                      "service.delete() so it stops costing money.",
                      pt=f"O serviço com falha '{BROKEN}' ainda existe (estado {service.state}). Exclua-o com "
                         "service.delete() para que ele pare de gerar custos.")
    if _service(record, SERVICE) is None:
        return failed(f"'{SERVICE}' was deleted too; only the failed service should go.",
                      pt=f"'{SERVICE}' também foi excluído; só o serviço com falha deveria ser excluído.")
    return passed(f"'{BROKEN}' is deleted and '{SERVICE}' kept.",
                  pt=f"'{BROKEN}' foi excluído e '{SERVICE}' foi mantido.")
