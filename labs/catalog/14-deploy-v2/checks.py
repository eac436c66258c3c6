"""Checks of lab 14 (deploy a model to a managed online endpoint, SDK v2): the service's endpoints and deployments
(authentication, model, state, traffic), and answers the checks themselves send through the endpoint's address,
compared with what each deployment's registered model predicts for the same patients."""

from __future__ import annotations

import json

from labs.grading import failed, needs, passed

MODEL = "diabetes-mlflow"
BLUE, GREEN = "blue", "green"
SPLIT = {BLUE: 90, GREEN: 10}
PATIENTS = 20  # how many test patients a check's request carries


def params(rng):
    """This attempt's endpoint names (endpoint names are unique in a region)."""
    tag = f"{rng.randrange(16 ** 5):05x}"
    return {"endpoint": f"diabetes-{tag}", "old_endpoint": f"diabetes-trial-{tag}"}


# ---- what the service holds ----------------------------------------------------------------------------

def _endpoint(record, name: str):
    from sim.cloud import endpoints

    try:
        return endpoints.get(record, name)
    except Exception:  # noqa: BLE001 - the service's not-found error
        return None


def _deployment(record, endpoint: str, name: str):
    """The deployment, reconciled with its scoring server (None when it or its endpoint does not exist)."""
    from sim.cloud.endpoints import deployments

    try:
        return deployments.get(record, endpoint, name)
    except Exception:  # noqa: BLE001 - the service's not-found error
        return None


def _state(deployment) -> dict | None:
    if deployment is None:
        return None
    return {"state": deployment.state, "model": deployment.model_id, "scoring_script": deployment.scoring_script}


# ---- asking the endpoint, and asking the model ----------------------------------------------------------

def _patients(data):
    """The first test patients of the stated split, as a DataFrame of the eight features."""
    from sklearn.model_selection import train_test_split

    frame = data.frame()
    _, X_test = train_test_split(frame[data.FEATURES], test_size=data.TEST_SIZE, random_state=data.SPLIT_RANDOM_STATE)
    return X_test.head(PATIENTS)


def _body(patients) -> bytes:
    return json.dumps({"input_data": {"columns": list(patients.columns), "index": list(range(len(patients))),
                                      "data": patients.astype(object).to_numpy().tolist()}}).encode()


def _ask(record, endpoint, patients, deployment: str | None = None) -> dict:
    """Send the patients to the endpoint as a client would (to one deployment by name, else by the traffic):
    {"deployment": who answered, "status": HTTP status, "answer": the parsed body} or {"error": why not}."""
    from sim.cloud.endpoints import scoring

    try:
        chosen = scoring.choose(record, endpoint, deployment)
    except Exception as exc:  # noqa: BLE001 - the service's refusal (no traffic, not ready, no such deployment)
        return {"error": str(exc)}
    status, headers, body = scoring.forward(chosen, _body(patients), "application/json")
    try:
        answer = json.loads(body)
    except ValueError:
        answer = body.decode(errors="replace")[:200]
    return {"deployment": headers.get("azureml-model-deployment", chosen.name), "status": status, "answer": answer}


def _model_predictions(record, model_id: str | None, patients) -> list[int] | None:
    """What the registered model version `<name>:<version>` predicts for the patients, loaded from its files."""
    import mlflow.pyfunc

    from sim.cloud.models import assets

    name, _, version = str(model_id or "").rpartition(":")
    found = assets.find(record, name, version) if name and version.isdigit() else None
    if found is None:
        return None
    model = mlflow.pyfunc.load_model(str(found.version.path), suppress_warnings=True)
    return [int(p) for p in model.predict(patients.astype(float))]


def _as_ints(answer) -> list[int] | None:
    try:
        return [int(p) for p in answer]
    except (TypeError, ValueError):
        return None


def _answers_like_its_model(record, endpoint, data, deployment: str | None) -> tuple[bool, dict]:
    """(True, evidence) when the deployment that answered gave its own model's predictions."""
    patients = _patients(data)
    asked = _ask(record, endpoint, patients, deployment)
    if "error" in asked:
        return False, asked
    answered = _deployment(record, endpoint.name, asked["deployment"])
    expected = _model_predictions(record, answered.model_id if answered else None, patients)
    found = _as_ints(asked["answer"]) if asked["status"] == 200 else None
    evidence = {"deployment": asked["deployment"], "model": answered.model_id if answered else None,
                "status": asked["status"], "answer": asked["answer"] if found is None else found[:10],
                "model_predicts": (expected or [])[:10]}
    return expected is not None and found == expected, evidence


# ---- step 1: the endpoint -------------------------------------------------------------------------------

def endpoint_created(record, params):
    name = params["endpoint"]
    endpoint = _endpoint(record, name)
    if endpoint is None:
        return failed(f"There is no online endpoint named '{name}' in the workspace yet.",
                      pt=f"Ainda não existe endpoint online chamado '{name}' no workspace.")
    if endpoint.state != "Succeeded":
        return failed(f"The endpoint '{name}' is not ready.", expected="Succeeded", found=endpoint.state,
                      pt=f"O endpoint '{name}' não está pronto.")
    return passed(f"The endpoint '{name}' exists.", pt=f"O endpoint '{name}' existe.")


@needs("endpoint_created")
def endpoint_uses_keys(record, params):
    endpoint = _endpoint(record, params["endpoint"])
    found = endpoint.auth_mode if endpoint else None
    if found != "Key":
        return failed("The endpoint should authenticate callers with keys: create it with auth_mode='key' (the mode "
                      "of an endpoint cannot change; delete it and create it again).", expected="key", found=found,
                      pt="O endpoint deve autenticar quem chama com chaves: crie-o com auth_mode='key' (o modo de um "
                         "endpoint não muda; exclua-o e crie de novo).")
    return passed("Callers authenticate with the endpoint's keys.",
                  pt="Quem chama se autentica com as chaves do endpoint.")


# ---- steps 2 and 4: the deployments ---------------------------------------------------------------------

def _serves(record, params, name: str, version: int, pt_name: str):
    deployment = _deployment(record, params["endpoint"], name)
    wanted = f"{MODEL}:{version}"
    expected = {"state": "Succeeded", "model": wanted, "scoring_script": None}
    if deployment is None:
        return failed(f"The endpoint has no deployment named '{name}' serving version {version} of '{MODEL}' yet.",
                      expected=expected,
                      pt=f"O endpoint ainda não tem implantação chamada '{pt_name}' servindo a versão {version} de "
                         f"'{MODEL}'.")
    if _state(deployment) != expected:
        return failed(f"'{name}' should be a ready deployment of {wanted} with no scoring script (an MLflow model is "
                      "served without one).", expected=expected, found=_state(deployment),
                      pt=f"'{pt_name}' deveria ser uma implantação pronta de {wanted} sem script de pontuação (um "
                         "modelo MLflow é servido sem ele).")
    return passed(f"'{name}' serves {wanted} with no scoring script.",
                  pt=f"'{pt_name}' serve {wanted} sem script de pontuação.")


def blue_deployed(record, params):
    deployment = _deployment(record, params["endpoint"], BLUE)
    if deployment is None or deployment.state != "Succeeded":
        return failed(f"No ready deployment named '{BLUE}' is behind the endpoint; wait for "
                      "begin_create_or_update(...).result() and read get_logs when it fails.",
                      expected="Succeeded", found=deployment.state if deployment else None,
                      pt=f"Nenhuma implantação pronta chamada '{BLUE}' está no endpoint; espere por "
                         "begin_create_or_update(...).result() e leia get_logs quando falhar.")
    return passed(f"'{BLUE}' is deployed and ready.", pt=f"'{BLUE}' está implantada e pronta.")


@needs("blue_deployed")
def blue_serves_version_1(record, params):
    return _serves(record, params, BLUE, 1, BLUE)


def _answers_by_name(record, params, data, name: str, pt_name: str):
    endpoint = _endpoint(record, params["endpoint"])
    if endpoint is None or _deployment(record, endpoint.name, name) is None:
        return failed(f"There is no '{name}' deployment to send patients to, so nothing can be compared with its "
                      "model.", pt=f"Não há implantação '{pt_name}' para onde enviar pacientes, então nada pode ser "
                                   "comparado com o modelo dela.")
    ok, evidence = _answers_like_its_model(record, endpoint, data, name)
    if not ok:
        return failed(f"Asked by name for {PATIENTS} test patients, '{name}' did not answer with its model's own "
                      "predictions.", expected=evidence.get("model_predicts"), found=evidence,
                      pt=f"Consultada pelo nome com {PATIENTS} pacientes de teste, '{pt_name}' não respondeu com as "
                         "previsões do próprio modelo.")
    return passed(f"Asked by name, '{name}' answers {PATIENTS} patients exactly as its model predicts them.",
                  pt=f"Consultada pelo nome, '{pt_name}' responde {PATIENTS} pacientes exatamente como o modelo dela "
                     "os prevê.")


@needs("blue_deployed")
def blue_answers_like_its_model(record, params, data):
    return _answers_by_name(record, params, data, BLUE, BLUE)


def green_serves_version_2(record, params):
    return _serves(record, params, GREEN, 2, GREEN)


@needs("green_serves_version_2")
def green_answers_like_its_model(record, params, data):
    return _answers_by_name(record, params, data, GREEN, GREEN)


# ---- steps 3 and 4: traffic -----------------------------------------------------------------------------

def blue_gets_traffic(record, params):
    endpoint = _endpoint(record, params["endpoint"])
    traffic = dict(endpoint.traffic) if endpoint else {}
    if traffic.get(BLUE, 0) <= 0 or sum(traffic.values()) != 100:
        return failed(f"Requests to the endpoint's address do not reach '{BLUE}': set the endpoint's traffic to "
                      f"{{'{BLUE}': 100}} and update the endpoint.", expected={BLUE: 100}, found=traffic or None,
                      pt=f"As requisições ao endereço do endpoint não chegam à '{BLUE}': defina o tráfego do endpoint "
                         f"como {{'{BLUE}': 100}} e atualize o endpoint.")
    return passed(f"The endpoint sends traffic to '{BLUE}'.", pt=f"O endpoint manda tráfego para a '{BLUE}'.")


def endpoint_answers_from_its_models(record, params, data):
    endpoint = _endpoint(record, params["endpoint"])
    if endpoint is None:
        return failed("With no endpoint there is no address to test.",
                      pt="Sem endpoint não há endereço para testar.")
    ok, evidence = _answers_like_its_model(record, endpoint, data, None)
    if not ok:
        return failed(f"Sent {PATIENTS} test patients with no deployment named, the endpoint did not answer with the "
                      "predictions of the model of the deployment that took the request.", found=evidence,
                      pt=f"Com {PATIENTS} pacientes de teste e nenhuma implantação indicada, o endpoint não respondeu "
                         "com as previsões do modelo da implantação que atendeu a requisição.")
    return passed(f"The endpoint's address answers with its deployment's model ('{evidence['deployment']}' took the "
                  "request).", pt=f"O endereço do endpoint responde com o modelo da implantação "
                                  f"('{evidence['deployment']}' atendeu a requisição).")


def traffic_split_90_10(record, params):
    endpoint = _endpoint(record, params["endpoint"])
    traffic = {k: v for k, v in (endpoint.traffic if endpoint else {}).items() if v}
    if traffic != SPLIT:
        return failed(f"The endpoint's traffic should send 90% of the requests to '{BLUE}' and 10% to '{GREEN}'.",
                      expected=SPLIT, found=traffic or None,
                      pt=f"O tráfego do endpoint deveria mandar 90% das requisições à '{BLUE}' e 10% à '{GREEN}'.")
    return passed("Traffic is split 90/10 between blue and green.",
                  pt="O tráfego está dividido 90/10 entre blue e green.")


# ---- step 5: clean-up -----------------------------------------------------------------------------------

def old_endpoint_deleted(record, params):
    name = params["old_endpoint"]
    if _endpoint(record, name) is not None:
        return failed(f"The trial endpoint '{name}' is still there, and its deployment still runs: delete it with "
                      "ml_client.online_endpoints.begin_delete(name=...).result().", expected=None, found=name,
                      pt=f"O endpoint de teste '{name}' ainda existe, e a implantação dele continua rodando: exclua-o "
                         "com ml_client.online_endpoints.begin_delete(name=...).result().")
    return passed(f"'{name}' is deleted, and its deployment with it.",
                  pt=f"'{name}' foi excluído, e a implantação dele junto.")
