"""Checks of lab 04 (work with data): datastore contents, dataset registrations and versions, run inputs."""

from __future__ import annotations

import io

from labs import checklib
from labs.grading import failed, needs, passed

FOLDER, TABULAR, FILES, EXPERIMENT = "diabetes-data", "diabetes-tabular", "diabetes-files", "diabetes-data-inputs"
PARTS = ["diabetes-part1.csv", "diabetes-part2.csv"]


def _default_store(record):
    from sim.cloud import datastores

    return datastores.default(record).name


def _uploaded(record) -> list[str]:
    from sim.cloud import datastores

    return datastores.list_files(record, _default_store(record), f"{FOLDER}/")


def files_uploaded(record):
    found = _uploaded(record)
    missing = [p for p in PARTS if f"{FOLDER}/{p}" not in found]
    if missing:
        return failed(f"The default datastore lacks {', '.join(missing)} under {FOLDER}/. Upload both files with "
                      "upload_files(..., target_path='diabetes-data/').", expected=[f"{FOLDER}/{p}" for p in PARTS],
                      found=found,
                      pt=f"O datastore padrão não tem {', '.join(missing)} em {FOLDER}/. Envie os dois arquivos com "
                         "upload_files(..., target_path='diabetes-data/').")
    return passed("Both halves are in the default datastore.", pt="As duas metades estão no datastore padrão.")


@needs("files_uploaded")
def uploaded_files_complete(record, data):
    import pandas as pd

    from sim.cloud import datastores

    root = datastores.content_root(record, _default_store(record))
    rows = {}
    for part in PARTS:
        path = root / FOLDER / part
        rows[part] = len(pd.read_csv(io.StringIO(path.read_text()))) if path.is_file() else 0
    if any(count != data.ROWS // 2 for count in rows.values()):
        return failed("The uploaded files are not the complete halves of the data set; upload them again with "
                      "overwrite=True.", expected={p: data.ROWS // 2 for p in PARTS}, found=rows,
                      pt="Os arquivos enviados não são as metades completas do conjunto de dados; envie-os de novo "
                         "com overwrite=True.")
    return passed("The uploaded files are complete.", pt="Os arquivos enviados estão completos.")


def _versions(record, name):
    return sorted(checklib.dataset_versions(record, name), key=lambda d: d.version)


def tabular_registered(record):
    first = checklib.dataset(record, TABULAR, 1)
    if first is None:
        return failed(f"No dataset is registered as '{TABULAR}'. Register the tabular dataset with "
                      "tab_ds.register(workspace=ws, name='diabetes-tabular', ...).",
                      pt=f"Nenhum dataset está registrado como '{TABULAR}'. Registre o dataset tabular com "
                         "tab_ds.register(workspace=ws, name='diabetes-tabular', ...).")
    if first.dataset_type != "tabular":
        return failed(f"'{TABULAR}' is a {first.dataset_type} dataset; create it with "
                      "Dataset.Tabular.from_delimited_files.", expected="tabular", found=first.dataset_type,
                      pt=f"'{TABULAR}' é um dataset do tipo {first.dataset_type}; crie-o com "
                         "Dataset.Tabular.from_delimited_files.")
    if first.tags.get("format") != "csv":
        return failed(f"'{TABULAR}' version 1 lacks the tag format = csv.", expected={"format": "csv"},
                      found=first.tags, pt=f"A versão 1 de '{TABULAR}' não tem a tag format = csv.")
    return passed(f"'{TABULAR}' is registered as a tabular dataset.",
                  pt=f"'{TABULAR}' está registrado como dataset tabular.")


@needs("tabular_registered")
def tabular_reads_every_row(record, data):
    first = checklib.dataset(record, TABULAR, 1)
    rows = len(checklib.dataset_frame(record, first)) if first is not None and first.dataset_type == "tabular" else 0
    if rows != data.ROWS:
        return failed(f"Version 1 of '{TABULAR}' does not read the whole data set: use the wildcard path "
                      "'diabetes-data/*.csv' so both halves are read.", expected=data.ROWS, found=rows,
                      pt=f"A versão 1 de '{TABULAR}' não lê o conjunto de dados inteiro: use o caminho com curinga "
                         "'diabetes-data/*.csv' para que as duas metades sejam lidas.")
    return passed("Version 1 reads all 10,000 rows.", pt="A versão 1 lê todas as 10.000 linhas.")


def file_dataset_registered(record):
    info = checklib.dataset(record, FILES)
    if info is None:
        return failed(f"No dataset is registered as '{FILES}'. Create it with Dataset.File.from_files and register "
                      "it.",
                      pt=f"Nenhum dataset está registrado como '{FILES}'. Crie-o com Dataset.File.from_files e "
                         "registre-o.")
    if info.dataset_type != "file":
        return failed(f"'{FILES}' is a {info.dataset_type} dataset, not a file dataset: create it with "
                      "Dataset.File.from_files.", expected="file", found=info.dataset_type,
                      pt=f"'{FILES}' é um dataset do tipo {info.dataset_type}, não um dataset de arquivos: crie-o "
                         "com Dataset.File.from_files.")
    return passed(f"'{FILES}' is a file dataset.", pt=f"'{FILES}' é um dataset de arquivos.")


@needs("file_dataset_registered")
def file_dataset_lists_both_files(record):
    info = checklib.dataset(record, FILES)
    names = sorted(str(f.relative).rsplit("/", 1)[-1] for f in checklib.dataset_files(record, info)) if info else []
    if names != PARTS:
        return failed(f"'{FILES}' should list both CSV files of {FOLDER}/.", expected=PARTS, found=names,
                      pt=f"'{FILES}' deveria listar os dois arquivos CSV de {FOLDER}/.")
    return passed(f"'{FILES}' lists both files.", pt=f"'{FILES}' lista os dois arquivos.")


def tabular_has_new_version(record):
    versions = _versions(record, TABULAR)
    if len(versions) < 2:
        return failed(f"'{TABULAR}' has {len(versions)} version(s); register the part1 dataset under the same name "
                      "with create_new_version=True.", expected=">= 2", found=len(versions),
                      pt=f"'{TABULAR}' tem {len(versions)} versão(ões); registre o dataset de part1 com o mesmo nome "
                         "e create_new_version=True.")
    latest = versions[-1]
    if latest.tags.get("rows") != "part1":
        return failed("The newest version lacks the tag rows = part1.", expected={"format": "csv", "rows": "part1"},
                      found=latest.tags, pt="A versão mais recente não tem a tag rows = part1.")
    return passed(f"'{TABULAR}' has a new version.", pt=f"'{TABULAR}' tem uma nova versão.")


@needs("tabular_has_new_version")
def versions_read_the_right_rows(record, data):
    versions = _versions(record, TABULAR)
    counts = {v.version: len(checklib.dataset_frame(record, v)) for v in versions if v.dataset_type == "tabular"}
    half = data.ROWS // 2
    if counts.get(1) != data.ROWS or len(versions) < 2 or counts.get(versions[-1].version) != half:
        return failed("Version 1 must still read 10,000 rows and the newest version only part1's 5,000.",
                      expected={1: data.ROWS, "newest": half}, found=counts,
                      pt="A versão 1 precisa continuar lendo 10.000 linhas e a versão mais recente, só as 5.000 de "
                         "part1.")
    return passed("Each version reads its own rows.", pt="Cada versão lê as próprias linhas.")


def _input_runs(record):
    from sim.cloud.runs import state

    for run in checklib.runs(record, EXPERIMENT):
        if run["run_type"] == state.INTERACTIVE or checklib.run_status(record, run["run_id"]) != "Completed":
            continue
        inputs = {i["name"]: i["argument"] for i in checklib.run_definition(record, run["run_id"]).get(
            "inputDatasets", [])}
        yield run, inputs


def direct_input_run_counts_version_1(record, data):
    first = checklib.dataset(record, TABULAR, 1)
    for run, inputs in _input_runs(record):
        if "training_data" not in inputs:
            continue
        observations = checklib.scalar(checklib.metrics(record, run["run_id"]).get("observations"))
        if first is None or inputs["training_data"] != first.id:
            return failed(f"The latest run with the input 'training_data' did not get version 1 of '{TABULAR}': "
                          "Dataset.get_by_name without version= returns the newest version.",
                          expected=first and first.id, found=inputs["training_data"],
                          pt="A execução mais recente com a entrada 'training_data' não recebeu a versão 1 de "
                             f"'{TABULAR}': Dataset.get_by_name sem version= devolve a versão mais recente.")
        if observations != data.ROWS:
            return failed("The run's 'observations' is not the number of rows of its input dataset.",
                          expected=data.ROWS, found=observations,
                          pt="A métrica 'observations' da execução não é o número de linhas do dataset de entrada.")
        return passed("The direct-mode run read version 1 and counted its rows.",
                      pt="A execução no modo direto leu a versão 1 e contou as linhas.")
    return failed(f"No completed run of '{EXPERIMENT}' has the named input 'training_data'. Pass "
                  "tab_v1.as_named_input('training_data') in the arguments.",
                  pt=f"Nenhuma execução concluída de '{EXPERIMENT}' tem a entrada nomeada 'training_data'. Passe "
                     "tab_v1.as_named_input('training_data') nos argumentos.")


def file_input_run_counts_files(record, data):
    for run, inputs in _input_runs(record):
        if "training_files" not in inputs:
            continue
        values = checklib.metrics(record, run["run_id"])
        found = {k: checklib.scalar(values.get(k)) for k in ("files", "observations")}
        if found != {"files": 2, "observations": data.ROWS}:
            return failed("The file-input run should count 2 CSV files and 10,000 rows in its input folder.",
                          expected={"files": 2, "observations": data.ROWS}, found=found,
                          pt="A execução com entrada de arquivos deveria contar 2 arquivos CSV e 10.000 linhas na "
                             "pasta de entrada.")
        return passed("The file-input run found both files.",
                      pt="A execução com entrada de arquivos encontrou os dois arquivos.")
    return failed(f"No completed run of '{EXPERIMENT}' has the named input 'training_files'. Pass "
                  "file_ds.as_named_input('training_files').as_download() in the arguments.",
                  pt=f"Nenhuma execução concluída de '{EXPERIMENT}' tem a entrada nomeada 'training_files'. Passe "
                     "file_ds.as_named_input('training_files').as_download() nos argumentos.")
