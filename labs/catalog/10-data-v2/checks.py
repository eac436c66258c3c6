"""Checks of lab 10 (make data available, SDK v2): the datastore the learner registered, and data assets
judged by what their files really hold in the simulated storage."""

from __future__ import annotations

from labs import checklib_v2 as v2
from labs.grading import failed, needs, passed

DATASTORE, CONTAINER = "training_data_blob", "training-data"
FILE_ASSET, FOLDER_ASSET, TABLE_ASSET, OLDER_ASSET = "diabetes-file", "diabetes-parts", "diabetes-table", \
    "diabetes-50plus"
SAMPLE_ROWS, MIN_AGE = 1000, 50


def _datastore(record):
    from sim.cloud import datastores

    try:
        return datastores.get(record, DATASTORE)
    except Exception:  # noqa: BLE001 - not registered
        return None


# ---- datastore -----------------------------------------------------------------------------------------

def blob_datastore_registered(record):
    store = _datastore(record)
    if store is None:
        return failed(f"The workspace has no datastore '{DATASTORE}'. Register it with "
                      "ml_client.create_or_update(AzureBlobDatastore(...)).",
                      pt=f"O workspace não tem o datastore '{DATASTORE}'. Registre-o com "
                         "ml_client.create_or_update(AzureBlobDatastore(...)).")
    if store.datastore_type != "AzureBlob":
        return failed(f"'{DATASTORE}' is not an Azure Blob datastore.", expected="AzureBlob",
                      found=store.datastore_type, pt=f"'{DATASTORE}' não é um datastore do Azure Blob.")
    return passed(f"Datastore '{DATASTORE}' is registered.", pt=f"O datastore '{DATASTORE}' está registrado.")


@needs("blob_datastore_registered")
def blob_datastore_settings(record):
    from sim.cloud import datastores

    store = _datastore(record)
    props = store.properties if store else {}
    expected = {"account_name": datastores.storage_account_name(record), "container_name": CONTAINER,
                "credentials": "None"}
    found = {"account_name": props.get("account_name"), "container_name": props.get("container_name"),
             "credentials": store.credential_type if store else None}
    if found != expected:
        return failed(f"'{DATASTORE}' should reach the container '{CONTAINER}' of the workspace's own storage account "
                      "and store no credentials (identity-based).", expected=expected, found=found,
                      pt=f"'{DATASTORE}' deveria chegar ao contêiner '{CONTAINER}' da própria conta de armazenamento "
                         "do workspace sem guardar credenciais (baseado em identidade).")
    return passed(f"'{DATASTORE}' reaches '{CONTAINER}' with the caller's identity.",
                  pt=f"'{DATASTORE}' chega a '{CONTAINER}' com a identidade de quem chama.")


# ---- uri_file ------------------------------------------------------------------------------------------

def _typed(record, name, version, data_type, label, label_pt):
    asset = v2.data_asset(record, name, version)
    shown = f"'{name}'" + (f" version {version}" if version else "")
    shown_pt = f"'{name}'" + (f" versão {version}" if version else "")
    if asset is None:
        return None, failed(f"There is no data asset {shown} yet ({label}).",
                            pt=f"Ainda não existe o ativo de dados {shown_pt} ({label_pt}).")
    if asset.data_type != data_type:
        return None, failed(f"{shown} is a {asset.data_type}, not a {data_type}.", expected=data_type,
                            found=asset.data_type, pt=f"{shown_pt} é um {asset.data_type}, não um {data_type}.")
    return asset, None


def file_asset_registered(record):
    asset, problem = _typed(record, FILE_ASSET, "1", "uri_file", "sample/diabetes.csv as a uri_file",
                            "sample/diabetes.csv como uri_file")
    return problem or passed(f"'{FILE_ASSET}:1' is a uri_file.", pt=f"'{FILE_ASSET}:1' é um uri_file.")


@needs("file_asset_registered")
def file_asset_holds_sample(record, data):
    asset = v2.data_asset(record, FILE_ASSET, "1")
    files = v2.asset_files(record, asset) if asset else []
    if not v2.same_rows(v2.csv_frame(files), data.frame().head(SAMPLE_ROWS)):
        return failed(f"Version 1 of '{FILE_ASSET}' does not hold the 1,000-patient sample: create it from "
                      "the local file sample/diabetes.csv, which the SDK uploads.",
                      expected=f"{SAMPLE_ROWS} rows of sample/diabetes.csv",
                      found=asset.path if asset else None,
                      pt=f"A versão 1 de '{FILE_ASSET}' não contém a amostra de 1.000 pacientes: crie-a a partir do "
                         "arquivo local sample/diabetes.csv, que o SDK envia.")
    return passed("Version 1 holds the sample, uploaded to the workspace's storage.",
                  pt="A versão 1 contém a amostra, enviada ao armazenamento do workspace.")


def file_asset_new_version(record, data):
    versions = v2.data_versions(record, FILE_ASSET)
    latest = versions[0] if versions else None
    if latest is None or len(versions) < 2 or latest.version == "1":
        return failed(f"'{FILE_ASSET}' has no second version yet: register data/diabetes.csv under the same name "
                      "without a version.", expected="versions 1 and 2",
                      found=[v.version for v in versions] or None,
                      pt=f"'{FILE_ASSET}' ainda não tem uma segunda versão: registre data/diabetes.csv com o mesmo "
                         "nome, sem indicar a versão.")
    if latest.data_type != "uri_file" or not v2.same_rows(v2.csv_frame(v2.asset_files(record, latest)), data.frame()):
        return failed(f"The latest version of '{FILE_ASSET}' ({latest.version}) is not the full data/diabetes.csv as a "
                      "uri_file.", expected=f"{len(data.frame())} rows, uri_file", found=latest.path,
                      pt=f"A versão mais recente de '{FILE_ASSET}' ({latest.version}) não é o data/diabetes.csv "
                         "completo como uri_file.")
    return passed(f"'{FILE_ASSET}' version {latest.version} holds all the patients; version 1 is kept.",
                  pt=f"A versão {latest.version} de '{FILE_ASSET}' contém todos os pacientes; a versão 1 continua lá.")


# ---- uri_folder ----------------------------------------------------------------------------------------

def folder_asset_registered(record):
    asset, problem = _typed(record, FOLDER_ASSET, None, "uri_folder", "the parts/ folder as a uri_folder",
                            "a pasta parts/ como uri_folder")
    return problem or passed(f"'{FOLDER_ASSET}' is a uri_folder.", pt=f"'{FOLDER_ASSET}' é um uri_folder.")


@needs("folder_asset_registered")
def folder_asset_on_own_datastore(record, data):
    asset = v2.data_asset(record, FOLDER_ASSET)
    store = v2.asset_datastore(record, asset) if asset else None
    if store != DATASTORE:
        return failed(f"'{FOLDER_ASSET}' does not live on '{DATASTORE}': pass datastore='{DATASTORE}' to Data(...).",
                      expected=DATASTORE, found=store,
                      pt=f"'{FOLDER_ASSET}' não está em '{DATASTORE}': passe datastore='{DATASTORE}' ao Data(...).")
    files = [p for p in v2.asset_files(record, asset) if p.suffix == ".csv"]
    if len(files) != 2 or not v2.same_rows(v2.csv_frame(files), data.frame()):
        return failed(f"The folder behind '{FOLDER_ASSET}' does not hold the two parts of the data set.",
                      expected=["diabetes-part1.csv", "diabetes-part2.csv"], found=[p.name for p in files],
                      pt=f"A pasta por trás de '{FOLDER_ASSET}' não contém as duas partes do conjunto de dados.")
    return passed(f"'{FOLDER_ASSET}' holds both parts on '{DATASTORE}'.",
                  pt=f"'{FOLDER_ASSET}' contém as duas partes em '{DATASTORE}'.")


# ---- mltable -------------------------------------------------------------------------------------------

def table_asset_registered(record):
    asset, problem = _typed(record, TABLE_ASSET, "1", "mltable", "the data/ folder with its MLTable file",
                            "a pasta data/ com o arquivo MLTable")
    return problem or passed(f"'{TABLE_ASSET}:1' is an mltable.", pt=f"'{TABLE_ASSET}:1' é um mltable.")


@needs("table_asset_registered")
def table_asset_reads_data(record, data):
    asset = v2.data_asset(record, TABLE_ASSET, "1")
    folder = v2.mltable_folder(record, asset) if asset else None
    if folder is None or v2.mltable_spec(folder) is None:
        return failed(f"The folder of '{TABLE_ASSET}' has no MLTable file (YAML) to say how to read it.",
                      pt=f"A pasta de '{TABLE_ASSET}' não tem um arquivo MLTable (YAML) que diga como lê-la.")
    if not v2.same_rows(v2.mltable_frame(folder), data.frame()):
        return failed("The MLTable file does not read diabetes.csv as a table: list it under paths (- file: "
                      "./diabetes.csv) and read it with read_delimited (delimiter ',', a header row).",
                      expected=f"{len(data.frame())} rows with the header's columns",
                      found=v2.mltable_spec(folder),
                      pt="O arquivo MLTable não lê o diabetes.csv como tabela: liste-o em paths (- file: "
                         "./diabetes.csv) e leia-o com read_delimited (delimitador ',', uma linha de cabeçalho).")
    return passed("The MLTable reads all the patients as a table.", pt="O MLTable lê todos os pacientes como tabela.")


# ---- wrangle -------------------------------------------------------------------------------------------

def older_asset_registered(record):
    asset, problem = _typed(record, OLDER_ASSET, None, "uri_file", "older/diabetes-50plus.csv as a uri_file",
                            "older/diabetes-50plus.csv como uri_file")
    return problem or passed(f"'{OLDER_ASSET}' is a uri_file.", pt=f"'{OLDER_ASSET}' é um uri_file.")


@needs("older_asset_registered")
def older_asset_rows(record, data):
    asset = v2.data_asset(record, OLDER_ASSET)
    frame = v2.csv_frame(v2.asset_files(record, asset)) if asset else None
    expected = data.frame()[data.frame()["Age"] >= MIN_AGE].reset_index(drop=True)
    if not v2.same_rows(frame, expected):
        return failed(f"'{OLDER_ASSET}' should hold exactly the patients aged {MIN_AGE} or more, with the table's "
                      "columns and no index column.", expected=f"{len(expected)} rows, {len(expected.columns)} columns",
                      found=None if frame is None else f"{len(frame)} rows, columns {list(frame.columns)}",
                      pt=f"'{OLDER_ASSET}' deveria conter exatamente os pacientes de {MIN_AGE} anos ou mais, com as "
                         "colunas da tabela e sem coluna de índice.")
    return passed(f"'{OLDER_ASSET}' holds the {len(expected)} patients aged {MIN_AGE} or more.",
                  pt=f"'{OLDER_ASSET}' contém os {len(expected)} pacientes de {MIN_AGE} anos ou mais.")
