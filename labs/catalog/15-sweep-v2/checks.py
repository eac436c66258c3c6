"""Checks of lab 15 (sweep jobs, SDK v2): the sweeps the service ran (sampling, search space, policy, limits),
their trials and what each trial's MLflow run logged compared with the scores the data really gives, and the
champion tag set on the trial that truly is the best by the primary metric."""

from __future__ import annotations

import math

from labs import checklib, checklib_v2
from labs.grading import failed, needs, passed

EXPERIMENT, METRIC = "sweep-diabetes", "AUC"
GRID_RATES = [0.01, 0.1, 1, 10]
LOG_RANGE = (-4, 0)  # LogUniform(min_value, max_value): the rate's natural log is uniform in this range
BANDIT = {"slack_factor": 0.1, "evaluation_interval": 1, "delay_evaluation": 5}
RANDOM_LIMITS = {"max_total_runs": 4, "max_concurrent_runs": 2}


# ---- what the service and MLflow hold ------------------------------------------------------------------

def _sweeps(record, sampling: str) -> list[dict]:
    """The experiment's sweep jobs with that sampling algorithm, newest first."""
    return [s for s in checklib_v2.sweep_jobs(record)
            if s["experiment"] == EXPERIMENT and s["settings"].get("sampling") == sampling]


def _completed(sweeps: list[dict]) -> list[dict]:
    return [s for s in sweeps if s["status"] == "Completed"]


def _rates(sweep: dict) -> list:
    return sorted(t["params"].get("reg_rate") for t in sweep["trials"] if "reg_rate" in t["params"])


def _grid_over_the_rates(sweep: dict) -> bool:
    return sweep["settings"]["parameter_space"].get("reg_rate") == ["choice", [GRID_RATES]] \
        and sweep["settings"]["primary_metric_name"] == METRIC


def _metric(mlflow, run_id: str, name: str = METRIC):
    try:
        return mlflow.get_run(run_id).data.metrics.get(name)
    except Exception:  # noqa: BLE001 - no run of that id
        return None


def _true_auc(data, reg_rate: float) -> float:
    from sklearn.linear_model import LogisticRegression

    X_train, _, y_train, _ = data.split()
    return data.score_model(LogisticRegression(C=1 / reg_rate, solver="liblinear").fit(X_train, y_train))["auc"]


# ---- the grid sweep ------------------------------------------------------------------------------------

def grid_sweep_completed(record):
    sweeps = _sweeps(record, "grid")
    if not sweeps:
        return failed(f"The experiment '{EXPERIMENT}' has no grid sweep job yet: submit "
                      "job(reg_rate=Choice(...)).sweep(sampling_algorithm='grid', ...).",
                      pt=f"O experimento '{EXPERIMENT}' ainda não tem job de varredura em grade: envie "
                         "job(reg_rate=Choice(...)).sweep(sampling_algorithm='grid', ...).")
    if not _completed(sweeps):
        return failed("No grid sweep completed; follow the latest one with ml_client.jobs.stream and read a "
                      "failed trial's log.", expected="Completed", found=sweeps[0]["status"],
                      pt="Nenhuma varredura em grade foi concluída; acompanhe a mais recente com ml_client.jobs.stream "
                         "e leia o log de uma avaliação que falhou.")
    return passed("A grid sweep completed.", pt="Uma varredura em grade foi concluída.")


@needs("grid_sweep_completed")
def grid_sweep_tried_every_rate(record):
    sweeps = _completed(_sweeps(record, "grid"))
    if not any(_grid_over_the_rates(s) for s in sweeps):
        found = [{"space": s["settings"]["parameter_space"], "metric": s["settings"]["primary_metric_name"]}
                 for s in sweeps[:2]]
        return failed(f"No completed grid sweep searched reg_rate=Choice(values={GRID_RATES}) with the primary "
                      f"metric '{METRIC}'.", expected={"reg_rate": ["choice", [GRID_RATES]], "metric": METRIC},
                      found=found,
                      pt=f"Nenhuma varredura em grade concluída buscou reg_rate=Choice(values={GRID_RATES}) com a "
                         f"métrica primária '{METRIC}'.")
    sweep = next(s for s in sweeps if _grid_over_the_rates(s))
    statuses = {t["status"] for t in sweep["trials"]}
    if _rates(sweep) != sorted(GRID_RATES) or statuses != {"Completed"}:
        return failed("The grid sweep should run one completed trial per rate (four in all).",
                      expected=GRID_RATES, found={"rates": _rates(sweep), "statuses": sorted(statuses)},
                      pt="A varredura em grade deve executar uma avaliação concluída por taxa (quatro ao todo).")
    return passed("The grid ran one trial per rate.", pt="A grade executou uma avaliação por taxa.")


def _grid_sweep(record) -> dict | None:
    return next((s for s in _completed(_sweeps(record, "grid")) if _grid_over_the_rates(s)), None)


@needs("grid_sweep_tried_every_rate")
def trials_logged_true_scores(record, mlflow, data):
    sweep = _grid_sweep(record)
    if sweep is None:
        return failed(f"There are no trials of a completed grid sweep whose logged {METRIC} could be compared with "
                      "the model's real scores yet.",
                      pt=f"Ainda não há avaliações de uma varredura em grade concluída cuja {METRIC} registrada possa "
                         "ser comparada com as pontuações reais do modelo.")
    wrong = {t["params"]["reg_rate"]: _metric(mlflow, t["name"]) for t in sweep["trials"]
             if not checklib.near(_metric(mlflow, t["name"]), _true_auc(data, t["params"]["reg_rate"]))}
    if wrong:
        return failed(f"Some trials' runs did not log the {METRIC} the model really scores at their rate on the 30% "
                      "test split (random_state=0).", found=wrong,
                      expected={r: round(_true_auc(data, r), 5) for r in wrong},
                      pt=f"Algumas execuções de avaliação não registraram a {METRIC} que o modelo realmente obtém com "
                         "a taxa delas nos 30% de teste (random_state=0).")
    return passed(f"Each trial logged its model's real {METRIC}.",
                  pt=f"Cada avaliação registrou a {METRIC} real do seu modelo.")


# ---- the best trial ------------------------------------------------------------------------------------

def _champions(record, mlflow) -> list[str]:
    trials = [t["name"] for s in checklib_v2.sweep_jobs(record) for t in s["trials"]]
    out = []
    for name in trials:
        try:
            if mlflow.get_run(name).data.tags.get("champion") == "true":
                out.append(name)
        except Exception:  # noqa: BLE001 - no run of that id
            continue
    return out


def champion_tagged(record, mlflow):
    champions = _champions(record, mlflow)
    if not champions:
        return failed("No trial's run is tagged champion=true yet: tag the best trial's run with "
                      "mlflow.MlflowClient().set_tag(best, 'champion', 'true').",
                      pt="Nenhuma execução de avaliação tem a tag champion=true ainda: marque a execução da melhor "
                         "avaliação com mlflow.MlflowClient().set_tag(best, 'champion', 'true').")
    return passed("A trial is tagged champion.", pt="Uma avaliação tem a tag champion.")


def _graded_sweep(record, champions: set) -> dict | None:
    """The newest completed grid sweep over the rates with a champion among its trials (else the newest one)."""
    sweeps = [s for s in _completed(_sweeps(record, "grid")) if _grid_over_the_rates(s)]
    marked = [s for s in sweeps if champions & {t["name"] for t in s["trials"]}]
    return (marked or sweeps or [None])[0]


@needs("champion_tagged")
def champion_is_the_best_trial(record, mlflow):
    champions = set(_champions(record, mlflow))
    sweep = _graded_sweep(record, champions)
    if sweep is None:
        return failed("There is no completed grid sweep over the four rates to pick the best trial from: finish the "
                      "first step.", pt="Não há varredura em grade concluída sobre as quatro taxas de onde escolher a "
                                        "melhor avaliação: conclua o primeiro passo.")
    scores = {t["name"]: _metric(mlflow, t["name"]) for t in sweep["trials"]}
    if all(v is None for v in scores.values()):
        return failed(f"The grid sweep's trials logged no {METRIC}, so none can be the best.", found=scores,
                      pt=f"As avaliações da varredura em grade não registraram {METRIC}, então nenhuma pode ser a "
                         "melhor.")
    top = max(v for v in scores.values() if v is not None)
    best = {name for name, value in scores.items() if value is not None and math.isclose(value, top, abs_tol=1e-12)}
    marked = champions & set(scores)
    if not marked or not marked <= best:
        return failed(f"The champion must be the grid sweep's trial with the highest {METRIC} (its "
                      "best_child_run_id), and only that one.", expected=sorted(best), found=sorted(marked),
                      pt=f"O campeão deve ser a avaliação da varredura em grade com a maior {METRIC} (o "
                         "best_child_run_id dela), e só ela.")
    if sweep["properties"].get("best_child_run_id") not in best:
        return failed("The sweep's best_child_run_id does not name its best trial.", expected=sorted(best),
                      found=sweep["properties"].get("best_child_run_id"),
                      pt="O best_child_run_id da varredura não indica a melhor avaliação dela.")
    return passed("The champion is the best trial by the primary metric.",
                  pt="O campeão é a melhor avaliação pela métrica primária.")


# ---- the random sweep with a policy --------------------------------------------------------------------

def _configured(sweep: dict) -> bool:
    settings = sweep["settings"]
    policy = settings.get("policy_settings") or {}
    return settings["parameter_space"].get("reg_rate") == ["loguniform", list(LOG_RANGE)] \
        and settings.get("policy") == "bandit" and all(policy.get(k) == v for k, v in BANDIT.items()) \
        and settings["primary_metric_name"] == METRIC


def random_sweep_configured(record):
    sweeps = _sweeps(record, "random")
    if not any(_configured(s) for s in sweeps):
        found = [{"space": s["settings"]["parameter_space"], "policy": s["settings"].get("policy"),
                  "policy_settings": s["settings"].get("policy_settings")} for s in sweeps[:2]]
        return failed(f"No random sweep in '{EXPERIMENT}' searched reg_rate=LogUniform(min_value=-4, max_value=0) "
                      f"for the highest {METRIC} with BanditPolicy(slack_factor=0.1, evaluation_interval=1, "
                      "delay_evaluation=5).", expected={"reg_rate": ["loguniform", list(LOG_RANGE)], **BANDIT},
                      found=found or None,
                      pt=f"Nenhuma varredura aleatória em '{EXPERIMENT}' buscou reg_rate=LogUniform(min_value=-4, "
                         f"max_value=0) pela maior {METRIC} com BanditPolicy(slack_factor=0.1, evaluation_interval=1, "
                         "delay_evaluation=5).")
    return passed("The random sweep has its search space and Bandit policy.",
                  pt="A varredura aleatória tem o espaço de busca e a política Bandit.")


def _within_range(rate) -> bool:
    low, high = (math.exp(v) for v in LOG_RANGE)
    return isinstance(rate, int | float) and low - 1e-12 <= rate <= high + 1e-12


@needs("random_sweep_configured")
def random_sweep_kept_its_limits(record):
    sweeps = [s for s in _sweeps(record, "random") if _configured(s)]
    done = [s for s in _completed(sweeps) if all(s["settings"].get(k) == v for k, v in RANDOM_LIMITS.items())]
    if not done:
        found = [{"status": s["status"], **{k: s["settings"].get(k) for k in RANDOM_LIMITS}} for s in sweeps[:2]]
        return failed("No completed random sweep kept to max_total_trials=4 and max_concurrent_trials=2.",
                      expected={"status": "Completed", **RANDOM_LIMITS}, found=found,
                      pt="Nenhuma varredura aleatória concluída respeitou max_total_trials=4 e "
                         "max_concurrent_trials=2.")
    sweep = done[0]
    rates = [t["params"].get("reg_rate") for t in sweep["trials"]]
    if len(rates) != 4 or not all(_within_range(r) for r in rates):
        return failed("The random sweep should run four trials, each with a rate drawn between e^-4 and 1.",
                      expected="4 rates in [0.0183, 1]", found=rates,
                      pt="A varredura aleatória deve executar quatro avaliações, cada uma com uma taxa sorteada entre "
                         "e^-4 e 1.")
    return passed("Four trials ran with rates drawn from the range.",
                  pt="Quatro avaliações rodaram com taxas sorteadas do intervalo.")
