"""Checks of lab 08 (tune hyperparameters): the cluster, a trial run, two sweeps, the best run, its model.

The checks judge sweeps by what really happened: which child runs the parent started, the arguments each
child was given, the metrics each logged, and the models they saved (a saved model's own hyperparameters
and test scores are compared with its run's arguments and metrics). The best child is found here from the
children's logged AUC, not taken from the learner.
"""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from labs import checklib
from labs.grading import failed, needs, passed

# The lab's own region (the set-up creates the workspace there): labs 01 and 05 fill East US's DSv2 quota.
CLUSTER, SIZE, REGION = "hd-cluster-lab08", "STANDARD_DS11_V2", "westus2"
TRIAL, GRID, RANDOM = "tune-diabetes-trial", "tune-diabetes-grid", "tune-diabetes-random"
METRIC, MODEL_FILE, MODEL = "AUC", "outputs/diabetes_model.pkl", "diabetes-tuned"
RATE, TREES = "--learning_rate", "--n_estimators"
TRIAL_VALUES = {RATE: 0.1, TREES: 30}
GRID_SPACE = {RATE: [0.05, 0.2, 0.8], TREES: [20, 60]}
RANDOM_RANGE, RANDOM_TREES, RANDOM_RUNS = (0.05, 0.5), [20, 60], 4
HYPERDRIVE = "hyperdrive"  # the run type of a sweep's parent run
NOTE_METRIC = "2020-experiments#hyperdrive-primary-metric"
NOTE_SAMPLING = "2020-experiments#hyperdrive-sampling"
NOTE_POLICY = "2020-experiments#hyperdrive-early-termination"
NOTE_SPACE = "2020-experiments#hyperdrive-search-space"


# -- reading runs ------------------------------------------------------------------------------------
def _arguments(record, run_id) -> dict:
    """A run's command-line arguments as {name: value text} (a flag without a value maps to '')."""
    argv = [str(a) for a in checklib.run_definition(record, run_id).get("arguments") or []]
    values, index = {}, 0
    while index < len(argv):
        name = argv[index]
        has_value = index + 1 < len(argv) and not argv[index + 1].startswith("--")
        values[name] = argv[index + 1] if has_value else ""
        index += 2 if has_value else 1
    return values


def _number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _hyperparameters(record, run_id) -> dict:
    """{'--learning_rate': float, '--n_estimators': float} as the run was given them (None when absent)."""
    given = _arguments(record, run_id)
    return {RATE: _number(given.get(RATE)), TREES: _number(given.get(TREES))}


def _metric(record, run_id, name=METRIC):
    return checklib.scalar(checklib.metrics(record, run_id).get(name))


def _status(record, run):
    return checklib.run_status(record, run["run_id"])


def _run_model(record, run_id):
    """The model a run saved as outputs/diabetes_model.pkl (None when it saved none)."""
    if MODEL_FILE not in checklib.file_names(record, run_id):
        return None
    import joblib

    with tempfile.TemporaryDirectory() as tmp:
        return joblib.load(checklib.download(record, run_id, MODEL_FILE, Path(tmp) / "model.pkl"))


def _model_values(model) -> dict:
    return {RATE: getattr(model, "learning_rate", None), TREES: getattr(model, "n_estimators", None)}


def _same_values(a: dict, b: dict) -> bool:
    return all(checklib.near(a.get(k), b.get(k), 1e-9) for k in (RATE, TREES))


def _environment_packages(definition) -> set[str]:
    conda = ((definition.get("environment") or {}).get("python") or {}).get("condaDependencies") or {}
    names = set()
    for dep in conda.get("dependencies") or []:
        for item in dep.get("pip", []) if isinstance(dep, dict) else [dep]:
            names.add(str(item).split("=")[0].split("<")[0].split(">")[0].strip())
    return names


# -- reading sweeps ----------------------------------------------------------------------------------
def _sweeps(record, experiment) -> list[dict]:
    """The experiment's HyperDrive parent runs, newest first."""
    return [r for r in checklib.runs(record, experiment) if r["run_type"] == HYPERDRIVE]


def _latest_sweep(record, experiment):
    """The newest completed sweep of the experiment (None when there is none)."""
    return next((r for r in _sweeps(record, experiment) if _status(record, r) == "Completed"), None)


def _children(record, parent) -> list[dict]:
    from sim.cloud.runs import state

    return state.list_for(record, parent_run_id=parent["run_id"])


def _settings(record, parent) -> dict:
    """What the sweep was configured with, from the parent run's recorded configuration."""
    from sim.cloud.runs import lifecycle

    return lifecycle.sweep_settings(record, parent["run_id"])


def _best_child(record, parent):
    """The completed child with the highest logged AUC (None when no child logged it)."""
    scored = [(c, _metric(record, c["run_id"])) for c in _children(record, parent)
              if _status(record, c) == "Completed"]
    scored = [(c, v) for c, v in scored if isinstance(v, int | float)]
    return max(scored, key=lambda pair: pair[1])[0] if scored else None


# -- cluster -----------------------------------------------------------------------------------------
def _cluster(record):
    from sim.cloud import compute

    return compute.find(record, CLUSTER)


def cluster_exists(record):
    cluster = _cluster(record)
    if cluster is None:
        return failed(f"There is no compute target '{CLUSTER}' yet. Create it with ComputeTarget.create(ws, "
                      f"'{CLUSTER}', AmlCompute.provisioning_configuration(...)).",
                      pt=f"Ainda não existe o destino de computação '{CLUSTER}'. Crie-o com ComputeTarget.create(ws, "
                         f"'{CLUSTER}', AmlCompute.provisioning_configuration(...)).")
    if cluster.type != "AmlCompute":
        return failed(f"'{CLUSTER}' is a {cluster.type}; a sweep's child runs need a cluster (AmlCompute).",
                      expected="AmlCompute", found=cluster.type,
                      pt=f"'{CLUSTER}' é um {cluster.type}; as execuções filhas de uma varredura precisam de um "
                         "cluster (AmlCompute).")
    return passed(f"Cluster '{CLUSTER}' exists.", pt=f"O cluster '{CLUSTER}' existe.")


@needs("cluster_exists")
def cluster_sized(record):
    cluster = _cluster(record)
    found = {"vm_size": str(getattr(cluster, "vm_size", None)).upper(),
             "min_nodes": getattr(cluster, "min_nodes", None), "max_nodes": getattr(cluster, "max_nodes", None)}
    expected = {"vm_size": SIZE, "min_nodes": 0, "max_nodes": 2}
    if found != expected:
        return failed("The sweep cluster is not sized as asked: STANDARD_DS11_V2 nodes, min_nodes=0 so it costs "
                      "nothing while idle, max_nodes=2 so two child runs train at once.", expected=expected,
                      found=found if cluster else None,
                      pt="O cluster da varredura não está dimensionado como pedido: nós STANDARD_DS11_V2, "
                         "min_nodes=0 para não custar nada quando ocioso e max_nodes=2 para duas execuções filhas "
                         "treinarem ao mesmo tempo.")
    return passed("The cluster can run two child runs at once and scales to zero.",
                  pt="O cluster roda duas execuções filhas ao mesmo tempo e escala a zero.")


# -- trial run ---------------------------------------------------------------------------------------
def _trial(record):
    from sim.cloud.runs import state

    runs = [r for r in checklib.runs(record, TRIAL) if r["run_type"] == state.SCRIPT]
    return next((r for r in runs if _status(record, r) == "Completed"), None), runs


def trial_run_completed(record):
    run, runs = _trial(record)
    if not runs:
        return failed(f"The experiment '{TRIAL}' has no submitted script run yet. Try the script once with a "
                      "ScriptRunConfig before tuning it.",
                      pt=f"O experimento '{TRIAL}' ainda não tem nenhuma execução de script enviada. Teste o script "
                         "uma vez com um ScriptRunConfig antes de ajustá-lo.")
    if run is None:
        return failed("No trial run completed; read the latest one's driver log (run.get_details_with_logs()) "
                      "and fix the script before a sweep runs it many times.", expected="Completed",
                      found=_status(record, runs[0]),
                      pt="Nenhuma execução de teste foi concluída; leia o log do driver da mais recente "
                         "(run.get_details_with_logs()) e corrija o script antes que uma varredura o rode muitas "
                         "vezes.")
    return passed("The trial run completed.", pt="A execução de teste foi concluída.")


@needs("trial_run_completed")
def trial_run_on_cluster_with_environment(record):
    run, _ = _trial(record)
    definition = checklib.run_definition(record, run["run_id"]) if run else {}
    packages = _environment_packages(definition)
    found = {"target": definition.get("target"), "packages": sorted(packages)}
    if found["target"] != CLUSTER or not {"scikit-learn", "pandas", "azureml-defaults"} <= packages:
        return failed(f"The trial run must run on '{CLUSTER}' in the tuning-env environment (scikit-learn, pandas "
                      "and pip azureml-defaults): pass compute_target=cluster and environment=tuning_env.",
                      expected={"target": CLUSTER, "packages": ["azureml-defaults", "pandas", "scikit-learn"]},
                      found=found,
                      pt=f"A execução de teste precisa rodar em '{CLUSTER}' no ambiente tuning-env (scikit-learn, "
                         "pandas e o pacote pip azureml-defaults): passe compute_target=cluster e "
                         "environment=tuning_env.")
    return passed("The trial ran on the cluster in the tuning environment.",
                  pt="O teste rodou no cluster, no ambiente de ajuste.")


@needs("trial_run_completed")
def trial_model_follows_arguments(record):
    run, _ = _trial(record)
    given = _hyperparameters(record, run["run_id"]) if run else {}
    if not _same_values(given, TRIAL_VALUES):
        return failed("The trial run was not given --learning_rate 0.1 --n_estimators 30 as its arguments.",
                      expected=TRIAL_VALUES, found=given,
                      pt="A execução de teste não recebeu --learning_rate 0.1 --n_estimators 30 como argumentos.")
    model = _run_model(record, run["run_id"])
    if model is None:
        return failed(f"The trial run saved no {MODEL_FILE}: the script must dump the model into outputs/.",
                      found=[n for n in checklib.file_names(record, run["run_id"]) if n.startswith("outputs/")],
                      pt=f"A execução de teste não salvou {MODEL_FILE}: o script precisa gravar o modelo em outputs/.")
    if not _same_values(_model_values(model), TRIAL_VALUES):
        return failed("The saved model was not trained with the arguments the run was given: pass "
                      "args.learning_rate and args.n_estimators to GradientBoostingClassifier, or every child of "
                      "a sweep trains the same model.", expected=TRIAL_VALUES, found=_model_values(model),
                      note=NOTE_SPACE,
                      pt="O modelo salvo não foi treinado com os argumentos que a execução recebeu: passe "
                         "args.learning_rate e args.n_estimators ao GradientBoostingClassifier, senão toda filha "
                         "de uma varredura treina o mesmo modelo.")
    return passed("The script trains with the arguments it is given.",
                  pt="O script treina com os argumentos que recebe.")


@needs("trial_run_completed")
def trial_metrics_true(record, data):
    run, _ = _trial(record)
    model = _run_model(record, run["run_id"]) if run else None
    true = data.score_model(model) if model is not None else {}
    logged = {"AUC": _metric(record, run["run_id"]), "Accuracy": _metric(record, run["run_id"], "Accuracy")} \
        if run else {}
    if not true or not all(checklib.near(logged.get(k), true[k.lower()]) for k in ("AUC", "Accuracy")):
        return failed("The trial run must log 'AUC' and 'Accuracy' (those exact names) computed on the 30% test "
                      "split with random_state=0; HyperDrive reads the primary metric from them.",
                      expected={k: round(true[k.lower()], 4) for k in ("AUC", "Accuracy")} if true else None,
                      found=logged or None, note=NOTE_METRIC,
                      pt="A execução de teste precisa registrar 'AUC' e 'Accuracy' (exatamente esses nomes), "
                         "calculadas na divisão de teste de 30% com random_state=0; o HyperDrive lê a métrica "
                         "principal delas.")
    return passed("The trial logged its model's true AUC and accuracy.",
                  pt="O teste registrou a AUC e a accuracy verdadeiras do modelo.")


# -- grid sweep --------------------------------------------------------------------------------------
def grid_sweep_completed(record):
    sweeps = _sweeps(record, GRID)
    if not sweeps:
        return failed(f"The experiment '{GRID}' has no HyperDrive run yet: submit a HyperDriveConfig with "
                      "Experiment(ws, 'tune-diabetes-grid').submit(config).",
                      pt=f"O experimento '{GRID}' ainda não tem nenhuma execução do HyperDrive: envie um "
                         "HyperDriveConfig com Experiment(ws, 'tune-diabetes-grid').submit(config).")
    if _latest_sweep(record, GRID) is None:
        return failed("No grid sweep completed yet: wait with grid_run.wait_for_completion(show_output=True), and "
                      "if a child failed, read its driver log.", expected="Completed",
                      found=_status(record, sweeps[0]),
                      pt="Nenhuma varredura em grade foi concluída ainda: espere com "
                         "grid_run.wait_for_completion(show_output=True) e, se uma filha falhou, leia o log do driver "
                         "dela.")
    return passed("The grid sweep completed.", pt="A varredura em grade foi concluída.")


@needs("grid_sweep_completed")
def grid_sweep_primary_metric(record):
    parent = _latest_sweep(record, GRID)
    settings = _settings(record, parent) if parent else {}
    found = {"name": settings.get("primary_metric_name"), "goal": str(settings.get("primary_metric_goal")).lower()}
    if found != {"name": METRIC, "goal": "maximize"}:
        return failed("The sweep must maximize the metric the script logs, letter for letter: "
                      "primary_metric_name='AUC', primary_metric_goal=PrimaryMetricGoal.MAXIMIZE.",
                      expected={"name": METRIC, "goal": "maximize"}, found=found, note=NOTE_METRIC,
                      pt="A varredura precisa maximizar a métrica que o script registra, letra por letra: "
                         "primary_metric_name='AUC', primary_metric_goal=PrimaryMetricGoal.MAXIMIZE.")
    return passed("The sweep maximizes AUC.", pt="A varredura maximiza a AUC.")


@needs("grid_sweep_completed")
def grid_sweep_sampling_and_policy(record):
    parent = _latest_sweep(record, GRID)
    settings = _settings(record, parent) if parent else {}
    found = {key: settings.get(key) for key in ("sampling", "policy", "max_total_runs", "max_concurrent_runs")}
    expected = {"sampling": "grid", "policy": "bandit", "max_total_runs": 6, "max_concurrent_runs": 2}
    if found != expected:
        return failed("The grid sweep needs GridParameterSampling, a BanditPolicy, max_total_runs=6 (one per "
                      "combination) and max_concurrent_runs=2 (one per node).", expected=expected, found=found,
                      note=NOTE_POLICY if found.get("policy") != "bandit" else NOTE_SAMPLING,
                      pt="A varredura em grade precisa de GridParameterSampling, uma BanditPolicy, max_total_runs=6 "
                         "(uma por combinação) e max_concurrent_runs=2 (uma por nó).")
    return passed("The sweep samples the grid with a bandit policy, two children at a time.",
                  pt="A varredura amostra a grade com uma política bandit, duas filhas por vez.")


@needs("grid_sweep_completed")
def grid_children_cover_the_grid(record):
    parent = _latest_sweep(record, GRID)
    children = _children(record, parent) if parent else []
    tried = sorted((v[RATE], v[TREES]) for v in (_hyperparameters(record, c["run_id"]) for c in children))
    grid = sorted(itertools.product(GRID_SPACE[RATE], GRID_SPACE[TREES]))
    if tried != [tuple(float(x) for x in pair) for pair in grid]:
        return failed("The sweep's child runs did not try each combination of the search space once: use the "
                      "keys '--learning_rate' and '--n_estimators' with choice(0.05, 0.2, 0.8) and "
                      "choice(20, 60), and leave those arguments out of the ScriptRunConfig.",
                      expected=grid, found=tried, note=NOTE_SPACE,
                      pt="As execuções filhas da varredura não testaram cada combinação do espaço de busca uma vez: "
                         "use as chaves '--learning_rate' e '--n_estimators' com choice(0.05, 0.2, 0.8) e "
                         "choice(20, 60), e deixe esses argumentos fora do ScriptRunConfig.")
    unscored = [c["run_id"] for c in children if _metric(record, c["run_id"]) is None]
    elsewhere = [c["run_id"] for c in children if checklib.run_definition(record, c["run_id"]).get("target")
                 != CLUSTER]
    if unscored or elsewhere:
        return failed(f"Every child run must log '{METRIC}' and run on '{CLUSTER}' (give the ScriptRunConfig "
                      "compute_target=cluster).", found={"no AUC": unscored, "not on the cluster": elsewhere},
                      pt=f"Toda execução filha precisa registrar '{METRIC}' e rodar em '{CLUSTER}' (dê ao "
                         "ScriptRunConfig compute_target=cluster).")
    return passed("Six children tried the whole grid on the cluster, each logging AUC.",
                  pt="Seis filhas testaram a grade inteira no cluster, cada uma registrando a AUC.")


# -- random sweep ------------------------------------------------------------------------------------
def random_sweep_completed(record):
    sweeps = _sweeps(record, RANDOM)
    if _latest_sweep(record, RANDOM) is None:
        return failed(f"The experiment '{RANDOM}' has no completed HyperDrive run: submit the random sweep there "
                      "and wait for it.", found=_status(record, sweeps[0]) if sweeps else "no runs",
                      pt=f"O experimento '{RANDOM}' não tem nenhuma execução do HyperDrive concluída: envie a "
                         "varredura aleatória para ele e espere terminar.")
    return passed("The random sweep completed.", pt="A varredura aleatória foi concluída.")


@needs("random_sweep_completed")
def random_sweep_draws_from_the_range(record):
    parent = _latest_sweep(record, RANDOM)
    settings = _settings(record, parent) if parent else {}
    children = _children(record, parent) if parent else []
    values = [_hyperparameters(record, c["run_id"]) for c in children]
    low, high = RANDOM_RANGE
    in_range = all(v[RATE] is not None and low <= v[RATE] <= high and v[TREES] in RANDOM_TREES for v in values)
    found = {"sampling": settings.get("sampling"), "policy": settings.get("policy"),
             "children": len(children), "values": values}
    if settings.get("sampling") != "random" or settings.get("policy") not in (None, "none") \
            or len(children) != RANDOM_RUNS or not in_range:
        return failed("The random sweep needs RandomParameterSampling over uniform(0.05, 0.5) for "
                      "'--learning_rate' and choice(20, 60) for '--n_estimators', policy=None and max_total_runs=4.",
                      expected={"sampling": "random", "policy": None, "children": RANDOM_RUNS}, found=found,
                      note=NOTE_SAMPLING,
                      pt="A varredura aleatória precisa de RandomParameterSampling sobre uniform(0.05, 0.5) para "
                         "'--learning_rate' e choice(20, 60) para '--n_estimators', policy=None e max_total_runs=4.")
    return passed("Four children drew learning rates from the continuous range.",
                  pt="Quatro filhas sortearam taxas de aprendizado do intervalo contínuo.")


# -- best run ----------------------------------------------------------------------------------------
def _best_of_grid(record):
    parent = _latest_sweep(record, GRID)
    return _best_child(record, parent) if parent else None


def best_run_file_names_the_best_child(record, folder):
    doc = checklib.read_json(folder / "best_run.json")
    if not isinstance(doc, dict):
        return failed("best_run.json is missing from the lab folder (or is not a JSON object).",
                      pt="O best_run.json não está na pasta do laboratório (ou não é um objeto JSON).")
    best = _best_of_grid(record)
    if best is None or doc.get("run_id") != best["run_id"]:
        return failed("best_run.json does not name the best child of the latest grid sweep: take the run from "
                      "grid_run.get_best_run_by_primary_metric().", expected=best and best["run_id"],
                      found=doc.get("run_id"),
                      pt="O best_run.json não nomeia a melhor filha da varredura em grade mais recente: pegue a "
                         "execução de grid_run.get_best_run_by_primary_metric().")
    return passed("best_run.json names the best child.", pt="O best_run.json nomeia a melhor filha.")


@needs("best_run_file_names_the_best_child")
def best_run_file_values_match(record, folder):
    doc = checklib.read_json(folder / "best_run.json") or {}
    best = _best_of_grid(record)
    given = _hyperparameters(record, best["run_id"]) if best else {}
    expected = {"AUC": _metric(record, best["run_id"]) if best else None, "learning_rate": given.get(RATE),
                "n_estimators": given.get(TREES)}
    found = {key: doc.get(key) if isinstance(doc, dict) else None for key in expected}
    if best is None or not all(checklib.near(found[k], expected[k], 1e-9) for k in expected):
        return failed("best_run.json must hold the best child's logged AUC and the learning_rate and n_estimators "
                      "it was given, read from the run (get_metrics() and get_details()['runDefinition']"
                      "['arguments']).", expected=expected, found=found,
                      pt="O best_run.json precisa conter a AUC registrada pela melhor filha e os valores de "
                         "learning_rate e n_estimators que ela recebeu, lidos da execução (get_metrics() e "
                         "get_details()['runDefinition']['arguments']).")
    return passed("best_run.json holds the best child's values.",
                  pt="O best_run.json contém os valores da melhor filha.")


# -- the registered model ----------------------------------------------------------------------------
def _tuned(record):
    versions = checklib.models(record, MODEL)
    return versions[0] if versions else None


def _registered_model(version):
    """The registered version's unpickled model, or None when it holds no loadable .pkl file."""
    try:
        return checklib.load_model(version) if version is not None else None
    except Exception:  # noqa: BLE001 - a folder without a model file, or a file that is not a pickle
        return None


def tuned_model_registered_from_a_grid_child(record):
    latest = _tuned(record)
    if latest is None:
        return failed(f"No model '{MODEL}' is registered yet. Register it with best_run.register_model(...).",
                      pt=f"Nenhum modelo '{MODEL}' está registrado ainda. Registre-o com best_run.register_model(...).")
    if latest.run_id is None or latest.experiment_name != GRID:
        return failed(f"The latest '{MODEL}' was not registered from a run of the grid sweep: call register_model "
                      "on the best child run, so the model keeps its lineage.", expected=GRID,
                      found=latest.experiment_name,
                      pt=f"O '{MODEL}' mais recente não foi registrado a partir de uma execução da varredura em "
                         "grade: chame register_model na melhor execução filha, para o modelo manter a linhagem.")
    return passed(f"'{MODEL}' comes from a run of the grid sweep.",
                  pt=f"'{MODEL}' vem de uma execução da varredura em grade.")


@needs("tuned_model_registered_from_a_grid_child")
def tuned_model_is_the_best_child(record):
    latest = _tuned(record)
    best = _best_of_grid(record)
    if latest is None or best is None or latest.run_id != best["run_id"]:
        return failed(f"'{MODEL}' does not come from the child with the highest AUC in the latest grid sweep; "
                      "register the model of grid_run.get_best_run_by_primary_metric().",
                      expected=best and best["run_id"], found=latest and latest.run_id,
                      pt=f"'{MODEL}' não vem da filha com a maior AUC na varredura em grade mais recente; registre o "
                         "modelo de grid_run.get_best_run_by_primary_metric().")
    return passed(f"'{MODEL}' is the best child's model.", pt=f"'{MODEL}' é o modelo da melhor filha.")


@needs("tuned_model_registered_from_a_grid_child")
def tuned_model_tags_match_arguments(record):
    latest = _tuned(record)
    given = _hyperparameters(record, latest.run_id) if latest and latest.run_id else {}
    tags = dict(latest.tags) if latest else {}
    found = {RATE: _number(tags.get("learning_rate")), TREES: _number(tags.get("n_estimators"))}
    model = _registered_model(latest)
    if not given or not _same_values(found, given) or not _same_values(_model_values(model), given):
        return failed(f"The tags learning_rate and n_estimators of '{MODEL}' must be the values its run was given "
                      "(and the model file must have been trained with them).",
                      expected={"learning_rate": given.get(RATE), "n_estimators": given.get(TREES)},
                      found={"learning_rate": tags.get("learning_rate"), "n_estimators": tags.get("n_estimators")},
                      pt=f"As tags learning_rate e n_estimators de '{MODEL}' precisam ser os valores que a execução "
                         "dele recebeu (e o arquivo do modelo precisa ter sido treinado com eles).")
    return passed("The model's tags name the hyperparameters that made it.",
                  pt="As tags do modelo nomeiam os hiperparâmetros que o produziram.")


@needs("tuned_model_registered_from_a_grid_child")
def tuned_model_properties_true(record, data):
    latest = _tuned(record)
    if latest is None or latest.run_id is None:
        return failed(f"'{MODEL}' has no run to compare its AUC and Accuracy properties with.",
                      pt=f"'{MODEL}' não tem uma execução com que comparar as propriedades AUC e Accuracy.")
    model = _registered_model(latest)
    true = data.score_model(model) if model is not None else {}
    logged = {"AUC": _metric(record, latest.run_id), "Accuracy": _metric(record, latest.run_id, "Accuracy")}
    found = {k: latest.properties.get(k) for k in logged}
    ok = bool(true) and all(checklib.near(found[k], logged[k]) and checklib.near(logged[k], true[k.lower()])
                            for k in logged)
    if not ok:
        return failed(f"The properties AUC and Accuracy of '{MODEL}' must be its run's logged metrics (which must be "
                      "the model's real test scores).", expected=logged, found=found,
                      pt=f"As propriedades AUC e Accuracy de '{MODEL}' precisam ser as métricas registradas na "
                         "execução dele (que precisam ser as pontuações reais do modelo no teste).")
    return passed("The model's properties are its real scores.",
                  pt="As propriedades do modelo são as pontuações reais dele.")
