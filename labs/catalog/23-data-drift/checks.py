"""Checks of lab 23 (monitor data drift, SDK v1): the datasets as the service registered them, the monitor's settings,
its completed backfill run on the cluster and the results the service kept per week, and the feature the learner
tagged as drifted, compared with the one whose distribution the set-up really moved (it differs per attempt)."""

from __future__ import annotations

from labs import checklib
from labs.grading import failed, needs, passed

BASELINE, TARGET, MONITOR, CLUSTER = "diabetes baseline", "diabetes target", "diabetes-drift", "drift-cluster"
FEATURES = ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness", "SerumInsulin", "BMI",
            "DiabetesPedigree", "Age"]
WEEKS = 6
TAG = "drifted_feature"


def params(rng):
    """The feature whose distribution the set-up moves in this attempt's weekly files."""
    return {"drifted": rng.choice(["BMI", "Age", "PlasmaGlucose", "DiastolicBloodPressure"])}


# ---- what the service holds ----------------------------------------------------------------------------

def _monitor(record):
    from sim.cloud.datadrift import monitors

    return monitors.find(record, MONITOR)


def _backfills(record) -> list[dict]:
    """Completed backfill runs of the monitor, newest first."""
    monitor = _monitor(record)
    if monitor is None:
        return []
    return [r for r in checklib.runs(record, monitor.id)
            if checklib.run_status(record, r["run_id"]) == "Completed"
            and ((r.get("definition") or {}).get("datadrift") or {}).get("run_type") == "BackFill"]


def _weeks(record, run_id: str) -> list[dict]:
    from sim.cloud.datadrift import results

    return results.rows_of(record, _monitor(record).id, run_id)


def _tagged(record) -> tuple[dict | None, str | None]:
    """(the newest backfill run carrying the tag, its value)."""
    from sim.cloud.runs import lifecycle

    for run in _backfills(record):
        value = lifecycle.tags(record, run["run_id"]).get(TAG)
        if value:
            return run, value
    return None, None


# ---- step 1: datasets -----------------------------------------------------------------------------------

def baseline_registered(record, data):
    info = checklib.dataset(record, BASELINE)
    if info is None:
        return failed(f"No dataset named '{BASELINE}' is registered yet.",
                      pt=f"Nenhum dataset chamado '{BASELINE}' foi registrado ainda.")
    rows = len(checklib.dataset_frame(record, info))
    if rows != data.ROWS:
        return failed(f"'{BASELINE}' should read data/diabetes.csv, all {data.ROWS} rows.", expected=data.ROWS,
                      found=rows, pt=f"'{BASELINE}' deveria ler data/diabetes.csv, todas as {data.ROWS} linhas.")
    return passed(f"'{BASELINE}' reads the {rows} baseline rows.", pt=f"'{BASELINE}' lê as {rows} linhas de base.")


def target_registered_with_timestamp(record):
    info = checklib.dataset(record, TARGET)
    if info is None:
        return failed(f"No dataset named '{TARGET}' is registered yet.",
                      pt=f"Nenhum dataset chamado '{TARGET}' foi registrado ainda.")
    stamp = (info.definition.get("timestamp_columns") or {}).get("timestamp")
    if stamp != "date":
        return failed(f"'{TARGET}' has no timestamp column 'date': register it after with_timestamp_columns('date').",
                      expected="date", found=stamp,
                      pt=f"'{TARGET}' não tem a coluna de carimbo de tempo 'date': registre-o depois de "
                         "with_timestamp_columns('date').")
    frame = checklib.dataset_frame(record, info)
    days = frame["date"].nunique() if "date" in frame else 0
    if days != WEEKS:
        return failed(f"'{TARGET}' should hold the {WEEKS} weekly files, each with its date from the file name "
                      "(partition_format).", expected=WEEKS, found=days,
                      pt=f"'{TARGET}' deveria conter os {WEEKS} arquivos semanais, cada um com a data do nome do "
                         "arquivo (partition_format).")
    return passed(f"'{TARGET}' holds {len(frame)} rows over {days} weeks, timestamped by 'date'.",
                  pt=f"'{TARGET}' contém {len(frame)} linhas em {days} semanas, com o carimbo de tempo 'date'.")


# ---- step 2: the monitor and its backfill ---------------------------------------------------------------

def monitor_configured(record):
    monitor = _monitor(record)
    if monitor is None:
        return failed(f"No data drift monitor named '{MONITOR}' exists yet.",
                      pt=f"Nenhum monitor de data drift chamado '{MONITOR}' existe ainda.")
    found = {"compute_target": monitor.compute_target, "frequency": monitor.frequency,
             "drift_threshold": monitor.drift_threshold, "latency": monitor.latency,
             "feature_list": sorted(monitor.feature_list or [])}
    expected = {"compute_target": CLUSTER, "frequency": "Week", "drift_threshold": 0.3, "latency": 24,
                "feature_list": sorted(FEATURES)}
    wrong = sorted(k for k in expected if found[k] != expected[k])
    if wrong:
        return failed(f"The monitor differs from what the step asks in: {', '.join(wrong)}. Change it with "
                      "monitor.update(...) or delete it and create it again.", expected=expected, found=found,
                      pt=f"O monitor difere do que a etapa pede em: {', '.join(wrong)}. Altere-o com "
                         "monitor.update(...) ou exclua-o e crie-o de novo.")
    return passed("The monitor compares the eight features weekly on drift-cluster, alerting above 30%.",
                  pt="O monitor compara as oito features semanalmente no drift-cluster, com alerta acima de 30%.")


def backfill_completed(record):
    runs = _backfills(record)
    if not runs:
        return failed(f"The monitor '{MONITOR}' has no completed backfill run yet: call monitor.backfill(start, end) "
                      "and wait for the run.", pt=f"O monitor '{MONITOR}' ainda não tem execução de backfill "
                                                 "concluída: chame monitor.backfill(start, end) e espere a execução.")
    weeks = _weeks(record, runs[0]["run_id"])
    if runs[0].get("target") != CLUSTER or len(weeks) < WEEKS:
        return failed(f"The newest backfill should run on {CLUSTER} and compare all {WEEKS} weeks of target data: "
                      "start it six weeks ago and end it now.", expected={"target": CLUSTER, "weeks": WEEKS},
                      found={"target": runs[0].get("target"), "weeks": len(weeks)},
                      pt=f"O backfill mais recente deveria rodar no {CLUSTER} e comparar as {WEEKS} semanas de dados "
                         "de destino: comece-o seis semanas atrás e termine-o agora.")
    return passed(f"The backfill compared {len(weeks)} weeks on {CLUSTER}.",
                  pt=f"O backfill comparou {len(weeks)} semanas no {CLUSTER}.")


# ---- step 3: the drifted feature ------------------------------------------------------------------------

def drifted_feature_tagged(record):
    run, value = _tagged(record)
    if run is None:
        return failed(f"No completed backfill run of '{MONITOR}' has the tag '{TAG}' yet: "
                      f"backfill.tag('{TAG}', name).", pt=f"Nenhuma execução de backfill concluída de '{MONITOR}' "
                                                          f"tem a tag '{TAG}' ainda: backfill.tag('{TAG}', nome).")
    if value not in FEATURES:
        return failed(f"'{value}' is not one of the monitored features.", expected=FEATURES, found=value,
                      pt=f"'{value}' não é uma das features monitoradas.")
    return passed(f"The backfill run is tagged with the feature '{value}'.",
                  pt=f"A execução de backfill tem a tag com a feature '{value}'.")


@needs("drifted_feature_tagged")
def drifted_feature_right(record, params):
    run, value = _tagged(record)
    weeks = _weeks(record, run["run_id"]) if run else []
    if not weeks:
        return failed("The tagged run kept no weekly results to read the drift from.",
                      pt="A execução com a tag não guardou resultados semanais de onde ler o drift.")
    latest = weeks[-1]["columns"]
    if value != params["drifted"]:
        return failed(f"'{value}' is not the feature that drifted: read each feature's datadrift_contribution in the "
                      "latest week of get_output and tag the largest.", found=value,
                      pt=f"'{value}' não é a feature que sofreu drift: leia a datadrift_contribution de cada feature "
                         "na semana mais recente do get_output e coloque na tag a maior.")
    return passed(f"Right: '{value}' drifted; its drift contribution in the latest week is "
                  f"{latest[value].get('datadrift_contribution', 0):.0f}%.",
                  pt=f"Certo: '{value}' sofreu drift; a contribuição dela na semana mais recente é de "
                     f"{latest[value].get('datadrift_contribution', 0):.0f}%.")
