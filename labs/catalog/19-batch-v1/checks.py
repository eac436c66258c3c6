"""Checks of lab 19 (batch inference with ParallelRunStep, SDK v1): the batch pipeline runs as the service ran them
(the parallel step's settings, the results file it appended to, compared with every file of the dataset and with
what the registered model predicts for each), the copy downloaded into the lab folder, and the published pipeline
and the run its endpoint started."""

from __future__ import annotations

from pathlib import Path

from labs import checklib
from labs.grading import failed, needs, passed

EXPERIMENT = "mslearn-diabetes-batch"
STEP, DATASET, MODEL = "batch-score-diabetes", "batch-data", "diabetes-model"
DRIVER = "azureml_parallel_run_driver.py"  # the script the service runs for a ParallelRunStep
RESULTS = "parallel_run_step.txt"
PUBLISHED = "diabetes-batch-pipeline"
SETTINGS = {"compute": "batch-cluster", "--entry_script": "batch_diabetes.py", "--mini_batch_size": "5",
            "--error_threshold": "10", "--output_action": "append_row", "--process_count": "4"}
PIPELINE_ID = "azureml.pipelineid"


# ---- what the service holds ----------------------------------------------------------------------------

def _runs(record) -> list[dict]:
    """The experiment's pipeline runs of one parallel step named STEP, newest first: {id, status, properties,
    spec: the step's plan node, job: its step run}."""
    from sim.cloud import pipelines
    from sim.cloud.runs import state

    found = []
    for row in pipelines.list_jobs(record):
        if row["experiment"] != EXPERIMENT:
            continue
        row = pipelines.get(record, row["run_id"])
        nodes = list(row["definition"]["plan"]["nodes"].values())
        if len(nodes) != 1 or nodes[0]["display_name"] != STEP or nodes[0]["script"] != DRIVER:
            continue
        found.append({"id": row["run_id"], "status": row["status"], "properties": row.get("properties") or {},
                      "spec": nodes[0], "job": state.get(record, nodes[0]["run_id"]) or {}})
    return found


def _completed(record) -> list[dict]:
    return [r for r in _runs(record) if r["status"] == "Completed"]


def _settings(run: dict) -> dict:
    arguments = run["spec"]["arguments"]
    given = {a: arguments[i + 1] for i, a in enumerate(arguments[:-1]) if a.startswith("--")}
    return {"compute": run["spec"]["compute"], **{k: given.get(k) for k in SETTINGS if k.startswith("--")}}


def _results_file(record, run: dict) -> Path | None:
    """The results file the step appended to (its `inferences` output), or None."""
    from sim.cloud import data_uris

    uri = (((run["job"].get("definition") or {}).get("outputs") or {}).get("inferences") or {}).get("uri")
    folder = data_uris.local_path(record, uri) if uri else None
    return next(folder.rglob(RESULTS), None) if folder is not None and folder.is_dir() else None


def _predictions(path: Path | None) -> dict | None:
    """{file name: prediction text} from lines '<file>: <prediction>', or None when the file is missing."""
    if path is None or not path.is_file():
        return None
    found = {}
    for line in path.read_text().splitlines():
        name, _, value = line.partition(":")
        if name.strip():
            found.setdefault(name.strip(), []).append(value.strip())
    return found


def _input_files(record) -> list[Path]:
    info = checklib.dataset(record, DATASET)
    return sorted(Path(f.local_path) for f in checklib.dataset_files(record, info)) if info else []


def _scored(record) -> dict | None:
    """The predictions of the newest completed batch run, or None."""
    runs = _completed(record)
    return _predictions(_results_file(record, runs[0])) if runs else None


# ---- step 1: the batch run ------------------------------------------------------------------------------

def batch_run_completed(record):
    runs = _runs(record)
    if not runs:
        return failed(f"The experiment '{EXPERIMENT}' has no pipeline run of a ParallelRunStep named '{STEP}' yet.",
                      pt=f"O experimento '{EXPERIMENT}' ainda não tem execução de pipeline de um ParallelRunStep "
                         f"chamado '{STEP}'.")
    if not _completed(record):
        return failed("No batch pipeline run completed; open the step run's logs/user/error.txt for the failed "
                      "mini-batches.", expected="Completed", found=runs[0]["status"],
                      pt="Nenhuma execução do pipeline em lote foi concluída; abra logs/user/error.txt da execução "
                         "da etapa para ver os minilotes que falharam.")
    return passed(f"A pipeline run of the ParallelRunStep '{STEP}' completed.",
                  pt=f"Uma execução de pipeline do ParallelRunStep '{STEP}' foi concluída.")


def parallel_settings(record):
    runs = _runs(record)
    found = [_settings(r) for r in runs]
    if SETTINGS not in found:
        wrong = sorted(k for k in SETTINGS if found and found[0][k] != SETTINGS[k]) or sorted(SETTINGS)
        return failed(f"The parallel step differs from what the lab asks in: {', '.join(wrong)} (2 nodes x 2 "
                      "processes make --process_count 4).", expected=SETTINGS, found=found[0] if found else None,
                      pt=f"A etapa paralela difere do que o laboratório pede em: {', '.join(wrong)} (2 nós x 2 "
                         "processos dão --process_count 4).")
    return passed("The step scores mini-batches of 5 files with 2 nodes x 2 processes on batch-cluster, appending "
                  "rows.", pt="A etapa pontua minilotes de 5 arquivos com 2 nós x 2 processos no batch-cluster, "
                              "acrescentando linhas.")


@needs("batch_run_completed")
def every_file_scored(record):
    scored, files = _scored(record), [p.name for p in _input_files(record)]
    if scored is None:
        return failed(f"The completed run's output 'inferences' holds no {RESULTS}.",
                      hint="output_action='append_row' and output=OutputFileDatasetConfig(name='inferences')",
                      pt=f"A saída 'inferences' da execução concluída não contém {RESULTS}.")
    twice = sorted(n for n, values in scored.items() if len(values) > 1)
    if sorted(scored) != sorted(files) or twice:
        return failed(f"{RESULTS} should have exactly one line per file of '{DATASET}' ({len(files)} files).",
                      expected=len(files), found={"files": len(scored), "scored twice": twice},
                      pt=f"{RESULTS} deveria ter exatamente uma linha por arquivo de '{DATASET}' ({len(files)} "
                         "arquivos).")
    return passed(f"Each of the {len(files)} files was scored once.",
                  pt=f"Cada um dos {len(files)} arquivos foi pontuado uma vez.")


def _expected(record, files: list[Path]) -> dict | None:
    import numpy as np

    versions = checklib.models(record, MODEL)
    if not versions:
        return None
    model = checklib.load_model(versions[0], "diabetes_model.pkl")
    return {p.name: int(model.predict(np.genfromtxt(p, delimiter=",").reshape(1, -1))[0]) for p in files}


@needs("every_file_scored")
def predictions_match_the_model(record):
    scored = _scored(record)
    if not scored:
        return failed("With no results file there are no predictions to compare with the model.",
                      pt="Sem arquivo de resultados não há previsões para comparar com o modelo.")
    expected = _expected(record, _input_files(record)) or {}
    differ = {n: (v[0], expected.get(n)) for n, v in scored.items() if _as_int(v[0]) != expected.get(n)}
    if differ or not expected:
        return failed(f"{len(differ)} predictions differ from what '{MODEL}' predicts for the file's patient.",
                      found=dict(list(differ.items())[:5]),
                      pt=f"{len(differ)} previsões diferem do que '{MODEL}' prevê para o paciente do arquivo.")
    return passed(f"Every prediction is what '{MODEL}' predicts for that file's patient.",
                  pt=f"Cada previsão é o que '{MODEL}' prevê para o paciente daquele arquivo.")


def _as_int(text: str) -> int | None:
    try:
        return int(float(text))
    except ValueError:
        return None


# ---- step 2: the results --------------------------------------------------------------------------------

def results_downloaded(record, folder):
    copies = [p for p in Path(folder).rglob(RESULTS)]
    scored = _scored(record)
    if not copies:
        return failed(f"There is no {RESULTS} in the lab folder: download the step's 'inferences' output.",
                      hint="prediction_run.get_output_data('inferences').download(local_path='diabetes-results')",
                      pt=f"Não há {RESULTS} na pasta do laboratório: baixe a saída 'inferences' da etapa.")
    if scored is None or not any(_predictions(p) == scored for p in copies):
        return failed(f"The {RESULTS} in the lab folder is not the one the completed batch run wrote.",
                      found=[str(p.relative_to(folder)) for p in copies],
                      pt=f"O {RESULTS} da pasta do laboratório não é o que a execução em lote concluída escreveu.")
    return passed(f"The step's {RESULTS} is downloaded into the lab folder.",
                  pt=f"O {RESULTS} da etapa foi baixado para a pasta do laboratório.")


# ---- step 3: publish ------------------------------------------------------------------------------------

def _published(record) -> list[dict]:
    from sim.cloud.pipelines import published

    return [p for p in published.list_published(record) if p["name"] == PUBLISHED
            and [s["name"] for s in p["steps"]] == [STEP]]


def batch_pipeline_published(record):
    if not _published(record):
        return failed(f"No active published pipeline named '{PUBLISHED}' with the step '{STEP}'.",
                      hint="pipeline_run.publish_pipeline(name=..., description=..., version='1.0')",
                      pt=f"Nenhum pipeline publicado ativo chamado '{PUBLISHED}' com a etapa '{STEP}'.")
    return passed(f"'{PUBLISHED}' is published.", pt=f"'{PUBLISHED}' está publicado.")


def endpoint_run_completed(record):
    ids = {p["id"] for p in _published(record)}
    started = [r for r in _runs(record) if r["properties"].get(PIPELINE_ID) in ids]
    if not any(r["status"] == "Completed" for r in started):
        return failed(f"No batch run started through the endpoint of '{PUBLISHED}' has completed.",
                      expected="Completed", found=[r["status"] for r in started] or None,
                      pt=f"Nenhuma execução em lote iniciada pelo endpoint de '{PUBLISHED}' foi concluída.")
    return passed("A POST to the published pipeline's endpoint scored the files again.",
                  pt="Um POST no endpoint do pipeline publicado pontuou os arquivos de novo.")
