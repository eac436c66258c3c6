"""Checks of lab 02 (run experiments). Logged values are compared with what the data really gives."""

from __future__ import annotations

import csv
import io

from labs import checklib
from labs.grading import failed, needs, passed

EXPLORE, SCRIPT, MLFLOW_NB, MLFLOW_SCRIPT = ("diabetes-explore", "diabetes-script", "mlflow-diabetes",
                                             "mlflow-diabetes-script")
MEAN_COLUMNS = ["PlasmaGlucose", "BMI", "Age"]


def _latest(record, experiment):
    runs = checklib.runs(record, experiment)
    return runs[0] if runs else None


def _latest_completed(record, experiment):
    return next((r for r in checklib.runs(record, experiment)
                 if checklib.run_status(record, r["run_id"]) == "Completed"), None)


# -- inline run --------------------------------------------------------------------------------------
def inline_run_completed(record):
    run = _latest(record, EXPLORE)
    if run is None:
        return failed(f"The experiment '{EXPLORE}' has no runs yet. Start one with experiment.start_logging().",
                      pt=f"O experimento '{EXPLORE}' ainda não tem execuções. Inicie uma com "
                      "experiment.start_logging().")
    status = checklib.run_status(record, run["run_id"])
    if status != "Completed":
        return failed("The latest run of the experiment is not completed: call run.complete() once you have "
                      "logged everything.", expected="Completed", found=status,
                      pt="A execução mais recente do experimento não está concluída: chame run.complete() depois de "
                      "registrar tudo.")
    return passed("The inline run is completed.", pt="A execução inline está concluída.")


def _explore_metrics(record):
    run = _latest_completed(record, EXPLORE)
    return checklib.metrics(record, run["run_id"]) if run else {}


@needs("inline_run_completed")
def observations_match_data(record, data):
    found = checklib.scalar(_explore_metrics(record).get("observations"))
    if found is None:
        return failed("The inline run has no metric 'observations'. Log the row count with run.log.",
                      pt="A execução inline não tem a métrica 'observations'. Registre o número de linhas com run.log.")
    if found != data.ROWS:
        return failed("'observations' does not match the data: log len(df), computed from the file, not a "
                      "number typed by hand.", expected=data.ROWS, found=found,
                      pt="'observations' não confere com os dados: registre len(df), calculado a partir do arquivo, "
                      "e não um número digitado à mão.")
    return passed("'observations' matches the number of rows.", pt="'observations' confere com o número de linhas.")


@needs("inline_run_completed")
def label_counts_match_data(record, data):
    found = _explore_metrics(record).get("label_counts")
    expected = [data.ROWS - data.POSITIVES, data.POSITIVES]
    if found is None:
        return failed("The inline run has no list metric 'label_counts'. Log it with run.log_list.",
                      pt="A execução inline não tem a métrica de lista 'label_counts'. Registre-a com run.log_list.")
    if list(found) == expected[::-1]:
        return failed("'label_counts' is in the wrong order: the non-diabetic count (label 0) comes first.",
                      expected=expected, found=found,
                      pt="'label_counts' está na ordem errada: a contagem de não diabéticos (rótulo 0) vem primeiro.")
    if list(found) != expected:
        return failed("'label_counts' does not match the data's label counts.", expected=expected, found=found,
                      pt="'label_counts' não confere com as contagens de rótulos dos dados.")
    return passed("'label_counts' matches the data.", pt="'label_counts' confere com os dados.")


@needs("inline_run_completed")
def column_means_table(record, data):
    table = _explore_metrics(record).get("column_means")
    if not isinstance(table, dict) or not {"column", "mean"} <= set(table):
        return failed("The inline run has no table 'column_means' with columns 'column' and 'mean'. Log one row "
                      "per data column with run.log_row('column_means', column=..., mean=...).", found=table,
                      pt="A execução inline não tem a tabela 'column_means' com as colunas 'column' e 'mean'. Registre "
                      "uma linha por coluna dos dados com run.log_row('column_means', column=..., mean=...).")
    frame = data.frame()
    logged = dict(zip(table["column"], table["mean"], strict=False))
    wrong = {c: logged.get(c) for c in MEAN_COLUMNS if not checklib.near(logged.get(c), frame[c].mean(), 0.01)}
    if wrong:
        return failed("Some means in 'column_means' are missing or do not match the data.",
                      expected={c: round(float(frame[c].mean()), 2) for c in wrong}, found=wrong,
                      pt="Algumas médias em 'column_means' estão faltando ou não conferem com os dados.")
    return passed("'column_means' holds the right means.", pt="'column_means' tem as médias certas.")


@needs("inline_run_completed")
def label_image_logged(record):
    run = _latest_completed(record, EXPLORE)
    names = checklib.file_names(record, run["run_id"]) if run else []
    if not any(n.split("/")[-1].startswith("label_distribution") and n.endswith(".png") for n in names):
        return failed("The inline run has no image 'label_distribution'. Log the figure with "
                      "run.log_image(name='label_distribution', plot=fig).",
                      pt="A execução inline não tem a imagem 'label_distribution'. Registre a figura com "
                      "run.log_image(name='label_distribution', plot=fig).")
    return passed("The label distribution chart is logged.",
                  pt="O gráfico da distribuição dos rótulos está registrado.")


def _csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@needs("inline_run_completed")
def sample_uploaded(record, data):
    run = _latest_completed(record, EXPLORE)
    if run is None or "outputs/sample.csv" not in checklib.file_names(record, run["run_id"]):
        return failed("The inline run has no file 'outputs/sample.csv'. Upload it with "
                      "run.upload_file(name='outputs/sample.csv', path_or_stream='sample.csv').",
                      pt="A execução inline não tem o arquivo 'outputs/sample.csv'. Envie-o com "
                      "run.upload_file(name='outputs/sample.csv', path_or_stream='sample.csv').")
    from sim.cloud.runs import files

    rows = _csv_rows(files.read_text(record, run["run_id"], "outputs/sample.csv"))
    if len(rows) != 100 or set(rows[0]) != set(data.COLUMNS):
        return failed("outputs/sample.csv should hold the first 100 rows with every column.",
                      expected=f"100 rows x {len(data.COLUMNS)} columns", found=f"{len(rows)} rows",
                      pt="outputs/sample.csv deve conter as 100 primeiras linhas com todas as colunas.")
    return passed("The sample file is uploaded.", pt="O arquivo de amostra foi enviado.")


# -- script run --------------------------------------------------------------------------------------
def _script_run(record, experiment):
    from sim.cloud.runs import state

    runs = checklib.runs(record, experiment)
    return next((r for r in runs if r["run_type"] != state.INTERACTIVE), None), runs


def script_run_completed(record):
    run, runs = _script_run(record, SCRIPT)
    if run is None:
        found = "no runs" if not runs else "only inline runs"
        return failed(f"The experiment '{SCRIPT}' has no submitted script run. Submit a ScriptRunConfig with "
                      "experiment.submit(config).", found=found,
                      pt=f"O experimento '{SCRIPT}' não tem nenhuma execução de script enviada. Envie um "
                      "ScriptRunConfig com experiment.submit(config).")
    status = checklib.run_status(record, run["run_id"])
    if status != "Completed":
        return failed("The script run did not complete; open its 70_driver_log.txt (run.get_details_with_logs()) "
                      "to see the error.", expected="Completed", found=status,
                      pt="A execução do script não foi concluída; abra o 70_driver_log.txt dela "
                      "(run.get_details_with_logs()) para ver o erro.")
    return passed("The script run completed.", pt="A execução do script foi concluída.")


@needs("script_run_completed")
def script_metrics_match_data(record, data):
    run, _ = _script_run(record, SCRIPT)
    values = checklib.metrics(record, run["run_id"]) if run else {}
    rate = checklib.scalar(values.get("diabetic_rate"))
    observations = checklib.scalar(values.get("observations"))
    if observations != data.ROWS or not checklib.near(rate, data.LABEL_RATE, 1e-6):
        return failed("The script run's 'observations' and 'diabetic_rate' must be computed from diabetes.csv.",
                      expected={"observations": data.ROWS, "diabetic_rate": data.LABEL_RATE},
                      found={"observations": observations, "diabetic_rate": rate},
                      pt="Os valores 'observations' e 'diabetic_rate' da execução do script devem ser calculados a "
                      "partir do diabetes.csv.")
    return passed("The script logged the right figures.", pt="O script registrou os valores certos.")


@needs("script_run_completed")
def script_outputs_collected(record):
    run, _ = _script_run(record, SCRIPT)
    names = checklib.file_names(record, run["run_id"]) if run else []
    if "outputs/sample.csv" not in names:
        return failed("The script run has no outputs/sample.csv: the script must write it into the outputs "
                      "folder of its working directory.", found=[n for n in names if n.startswith("outputs/")],
                      pt="A execução do script não tem outputs/sample.csv: o script deve gravá-lo na pasta outputs do "
                      "próprio diretório de trabalho.")
    return passed("The script's outputs were collected.", pt="As saídas do script foram coletadas.")


# -- MLflow ------------------------------------------------------------------------------------------
MLFLOW_DEFAULT = "Default"  # where MLflow puts a run started with no experiment chosen


def _mlflow_runs(mlflow, experiment):
    exp = mlflow.get_experiment_by_name(experiment)
    return mlflow.search_runs([exp.experiment_id], order_by=["attributes.start_time DESC"]) if exp else []


def mlflow_notebook_run_finished(mlflow):
    runs = _mlflow_runs(mlflow, MLFLOW_NB)
    if not runs and _mlflow_runs(mlflow, MLFLOW_DEFAULT):
        # The run reached the workspace, so the tracking URI was right: only the experiment was not chosen.
        return failed(f"An MLflow run reached the workspace but went into the experiment '{MLFLOW_DEFAULT}': call "
                      f"mlflow.set_experiment('{MLFLOW_NB}') before mlflow.start_run(). The tracking URI is right.",
                      expected=MLFLOW_NB, found=MLFLOW_DEFAULT,
                      pt=f"Uma execução do MLflow chegou ao workspace, mas foi para o experimento '{MLFLOW_DEFAULT}': "
                      f"chame mlflow.set_experiment('{MLFLOW_NB}') antes de mlflow.start_run(). O tracking URI está "
                      "certo.")
    if not runs:
        return failed(f"MLflow has no experiment '{MLFLOW_NB}' with runs in the workspace's tracking store, and no "
                      "run of yours reached the workspace at all. Set the tracking URI to "
                      "ws.get_mlflow_tracking_uri() before mlflow.set_experiment.",
                      pt=f"O MLflow não tem o experimento '{MLFLOW_NB}' com execuções no repositório de rastreamento "
                      "do workspace, e nenhuma execução sua chegou ao workspace. Defina o tracking URI como "
                      "ws.get_mlflow_tracking_uri() antes de mlflow.set_experiment.")
    if runs[0].info.status != "FINISHED":
        return failed("The latest MLflow run is still open: use `with mlflow.start_run():` or call "
                      "mlflow.end_run().", expected="FINISHED", found=runs[0].info.status,
                      pt="A execução do MLflow mais recente ainda está aberta: use `with mlflow.start_run():` ou chame "
                      "mlflow.end_run().")
    return passed("The MLflow run finished.", pt="A execução do MLflow terminou.")


@needs("mlflow_notebook_run_finished")
def mlflow_notebook_values(mlflow, data):
    runs = [r for r in _mlflow_runs(mlflow, MLFLOW_NB) if r.info.status == "FINISHED"]
    found = runs[0].data if runs else None
    observations = found.metrics.get("observations") if found else None
    source = found.params.get("source") if found else None
    if observations != data.ROWS or source != "data/diabetes.csv":
        return failed("The MLflow run needs the metric 'observations' (row count) and the parameter 'source'.",
                      expected={"observations": data.ROWS, "source": "data/diabetes.csv"},
                      found={"observations": observations, "source": source},
                      pt="A execução do MLflow precisa da métrica 'observations' (número de linhas) e do parâmetro "
                      "'source'.")
    return passed("The MLflow run holds the right metric and parameter.",
                  pt="A execução do MLflow tem a métrica e o parâmetro certos.")


def mlflow_script_run_completed(record):
    run, runs = _script_run(record, MLFLOW_SCRIPT)
    if run is None:
        return failed(f"The experiment '{MLFLOW_SCRIPT}' has no submitted run yet. Submit the MLflow script "
                      "with a ScriptRunConfig.", found="no runs" if not runs else "only inline runs",
                      pt=f"O experimento '{MLFLOW_SCRIPT}' ainda não tem nenhuma execução enviada. Envie o script do "
                      "MLflow com um ScriptRunConfig.")
    status = checklib.run_status(record, run["run_id"])
    if status != "Completed":
        return failed("The MLflow script run did not complete; read its driver log. A script that sets its own "
                      "tracking URI or experiment cannot reach the job's run and fails.", expected="Completed",
                      found=status,
                      pt="A execução do script do MLflow não foi concluída; leia o log do driver dela. Um script que "
                      "define o próprio tracking URI ou experimento não alcança a execução do job e falha.")
    return passed("The MLflow script run completed.", pt="A execução do script do MLflow foi concluída.")


@needs("mlflow_script_run_completed")
def mlflow_script_rate_matches(record, data):
    run, _ = _script_run(record, MLFLOW_SCRIPT)
    rate = checklib.scalar(checklib.metrics(record, run["run_id"]).get("diabetic_rate")) if run else None
    if rate is None:
        return failed("The MLflow script run has no metric 'diabetic_rate'. If you set a tracking URI or "
                      "experiment inside the script, remove them: the job's run must receive the metric.",
                      pt="A execução do script do MLflow não tem a métrica 'diabetic_rate'. Se você define um tracking "
                      "URI ou experimento dentro do script, remova-os: a métrica tem de chegar à execução do job.")
    if not checklib.near(rate, data.LABEL_RATE, 1e-6):
        return failed("'diabetic_rate' does not match the data.", expected=data.LABEL_RATE, found=rate,
                      pt="'diabetic_rate' não confere com os dados.")
    return passed("The script's MLflow metric reached the run.", pt="A métrica do MLflow do script chegou à execução.")


# -- reading back ------------------------------------------------------------------------------------
def metrics_file_matches_run(record, folder, data):
    doc = checklib.read_json(folder / "explore-metrics.json")
    if not isinstance(doc, dict):
        return failed("explore-metrics.json is missing from the lab folder (or is not a JSON object).",
                      pt="O explore-metrics.json não está na pasta do laboratório (ou não é um objeto JSON).")
    run = _latest(record, EXPLORE)
    if run is None or doc.get("run_id") != run["run_id"]:
        return failed(f"explore-metrics.json is not from the latest run of '{EXPLORE}'.",
                      expected=run and run["run_id"], found=doc.get("run_id"),
                      pt=f"O explore-metrics.json não é da execução mais recente de '{EXPLORE}'.")
    if doc.get("observations") != data.ROWS:
        return failed("explore-metrics.json does not hold the run's metrics as get_metrics() returns them.",
                      expected={"observations": data.ROWS}, found={"observations": doc.get("observations")},
                      pt="O explore-metrics.json não contém as métricas da execução como get_metrics() as devolve.")
    return passed("explore-metrics.json holds the run's metrics.",
                  pt="O explore-metrics.json contém as métricas da execução.")


def sample_downloaded(record, folder):
    path = folder / "downloads" / "sample.csv"
    if not path.is_file():
        return failed("downloads/sample.csv is missing. Download it with run.download_file('outputs/sample.csv', "
                      "output_file_path='downloads/sample.csv').",
                      pt="downloads/sample.csv não existe. Baixe-o com run.download_file('outputs/sample.csv', "
                      "output_file_path='downloads/sample.csv').")
    run = _latest_completed(record, EXPLORE)
    from sim.cloud.runs import files

    if run is None or path.read_text() != files.read_text(record, run["run_id"], "outputs/sample.csv"):
        return failed("downloads/sample.csv differs from the run's outputs/sample.csv.",
                      pt="downloads/sample.csv é diferente do outputs/sample.csv da execução.")
    return passed("The sample was downloaded from the run.", pt="A amostra foi baixada da execução.")
