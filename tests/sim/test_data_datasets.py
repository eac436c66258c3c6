"""Datasets through the SDK facade: factories, transformations, versions, files, mounts, errors."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from tests.sim._data_helpers import COLUMNS, new_workspace, write_diabetes_files

pytestmark = pytest.mark.usefixtures("sim_active")


@pytest.fixture()
def ws(tmp_path):
    ws = new_workspace("datasets-ws")
    files = write_diabetes_files(tmp_path)
    ws.get_default_datastore().upload_files(files=files, target_path="diabetes-data/", show_progress=False)
    return ws


@pytest.fixture()
def tab(ws):
    from azureml.core import Dataset

    return Dataset.Tabular.from_delimited_files(path=(ws.get_default_datastore(), "diabetes-data/*.csv"))


def test_to_pandas_reads_every_file_with_types(tab, tmp_path):
    frame = tab.to_pandas_dataframe()
    expected = pd.concat([pd.read_csv(tmp_path / "data" / "diabetes.csv"),
                          pd.read_csv(tmp_path / "data" / "diabetes2.csv")], ignore_index=True)
    assert list(frame.columns) == COLUMNS
    pd.testing.assert_frame_equal(frame, expected)


def test_path_forms_are_equivalent(ws, tab):
    from azureml.core import Dataset
    from azureml.data.datapath import DataPath

    store = ws.get_default_datastore()
    as_list = Dataset.Tabular.from_delimited_files(path=[(store, "diabetes-data/diabetes.csv"),
                                                         (store, "diabetes-data/diabetes2.csv")])
    as_datapath = Dataset.Tabular.from_delimited_files(path=DataPath(store, "diabetes-data/"))
    as_reference = Dataset.Tabular.from_delimited_files(path=store.path("diabetes-data/"))
    sizes = {len(d.to_pandas_dataframe()) for d in (tab, as_list, as_datapath, as_reference)}
    assert sizes == {450}


def test_take_skip_keep_drop(tab):
    frame = tab.skip(10).take(5).keep_columns(["Age", "BMI"]).to_pandas_dataframe()
    full = tab.to_pandas_dataframe()
    assert list(frame.columns) == ["BMI", "Age"]
    assert frame["Age"].tolist() == full["Age"].iloc[10:15].tolist()
    assert "PatientID" not in tab.drop_columns("PatientID").to_pandas_dataframe().columns


def test_random_split_is_a_partition(tab):
    train, test = tab.random_split(percentage=0.7, seed=123)
    a, b = train.to_pandas_dataframe(), test.to_pandas_dataframe()
    assert len(a) + len(b) == 450 and 0.6 < len(a) / 450 < 0.8
    assert set(a.PatientID) | set(b.PatientID) == set(tab.to_pandas_dataframe().PatientID)
    again, _ = tab.random_split(percentage=0.7, seed=123)
    assert again.to_pandas_dataframe().equals(a)
    unseeded_a, unseeded_b = tab.random_split(0.5)
    assert len(unseeded_a.to_pandas_dataframe()) + len(unseeded_b.to_pandas_dataframe()) == 450


def test_filter_expressions(tab):
    full = tab.to_pandas_dataframe()
    old = tab.filter(tab["Age"] > 60).to_pandas_dataframe()
    assert len(old) == int((full.Age > 60).sum()) and (old.Age > 60).all()
    both = tab.filter((tab["Age"] > 60) & (tab["Diabetic"] == 1)).to_pandas_dataframe()
    assert len(both) == int(((full.Age > 60) & (full.Diabetic == 1)).sum())


def test_transformations_do_not_change_the_original(tab):
    tab.take(3)
    assert len(tab.to_pandas_dataframe()) == 450


def test_keep_columns_validate_names_missing_column(tab):
    from azureml.data.dataset_error_handling import DatasetValidationError

    with pytest.raises(DatasetValidationError, match=r"\['Nope'\] do not exist"):
        tab.keep_columns(["Age", "Nope"], validate=True)


def test_reader_options(ws, tmp_path):
    from azureml.core import Dataset
    from azureml.data import DataType
    from azureml.exceptions import UserErrorException

    store = ws.get_default_datastore()
    (tmp_path / "semi").mkdir()
    (tmp_path / "semi" / "a.txt").write_text("1;x\n2;y\n")
    store.upload_files(files=[str(tmp_path / "semi" / "a.txt")], target_path="semi", show_progress=False)
    no_header = Dataset.Tabular.from_delimited_files(path=(store, "semi/a.txt"), separator=";", header=False,
                                                     include_path=True)
    frame = no_header.to_pandas_dataframe()
    assert list(frame.columns) == ["Path", "Column1", "Column2"] and frame.Path.tolist() == ["/a.txt"] * 2
    typed = Dataset.Tabular.from_delimited_files(path=(store, "semi/a.txt"), separator=";", header=False,
                                                 set_column_types={"Column1": DataType.to_float()})
    assert typed.to_pandas_dataframe().Column1.dtype == "float64"
    as_text = Dataset.Tabular.from_delimited_files(path=(store, "semi/a.txt"), separator=";", header=False,
                                                   infer_column_types=False)
    assert as_text.to_pandas_dataframe().Column1.tolist() == ["1", "2"]
    from azureml.data.dataset_type_definitions import PromoteHeadersBehavior

    enum_header = Dataset.Tabular.from_delimited_files(path=(store, "semi/a.txt"), separator=";",
                                                       header=PromoteHeadersBehavior.NO_HEADERS)
    assert len(enum_header.to_pandas_dataframe()) == 2
    with pytest.raises(UserErrorException, match="Unsupported header"):
        Dataset.Tabular.from_delimited_files(path=(store, "semi/a.txt"), header="FIRST_ROW")


def test_parquet_and_partition_format(ws, tmp_path):
    from azureml.core import Dataset

    store = ws.get_default_datastore()
    for dept in ("sales", "hr"):
        folder = tmp_path / "parts" / dept / "2024" / "01" / "05"
        folder.mkdir(parents=True)
        pd.DataFrame({"v": [1, 2]}).to_parquet(folder / "data.parquet")
    store.upload(str(tmp_path / "parts"), target_path="parts", show_progress=False)
    ds = Dataset.Tabular.from_parquet_files(path=(store, "parts/**/*.parquet"),
                                            partition_format="/{Dept}/{Day:yyyy/MM/dd}/data.parquet")
    frame = ds.to_pandas_dataframe()
    assert sorted(frame.Dept.unique()) == ["hr", "sales"] and len(frame) == 4
    assert str(frame.Day.iloc[0].date()) == "2024-01-05"
    assert ds.partition_keys == ["Dept", "Day"]


def test_partition_format_with_folder_prefix_and_timestamp(ws, tmp_path):
    from azureml.core import Dataset

    store = ws.get_default_datastore()
    paths = []
    for day in ("2024-03-01", "2024-03-08"):
        path = tmp_path / f"diabetes_{day}.csv"
        pd.DataFrame({"Age": [30, 40]}).to_csv(path)
        paths.append(str(path))
    store.upload_files(files=paths, target_path="drift-target", show_progress=False)
    target = Dataset.Tabular.from_delimited_files(path=(store, "drift-target/*.csv"),
                                                  partition_format="drift-target/diabetes_{date:yyyy-MM-dd}.csv")
    target = target.with_timestamp_columns("date").register(ws, "target", create_new_version=True)
    frame = target.to_pandas_dataframe()
    assert [str(d.date()) for d in frame["date"]] == ["2024-03-01", "2024-03-01", "2024-03-08", "2024-03-08"]
    assert target.time_after("2024-03-05").to_pandas_dataframe()["Age"].tolist() == [30, 40]


def test_json_lines(ws, tmp_path):
    from azureml.core import Dataset
    from azureml.data.dataset_error_handling import DatasetExecutionError

    store = ws.get_default_datastore()
    (tmp_path / "rows.jsonl").write_text('{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\nnot json\n')
    store.upload_files(files=[str(tmp_path / "rows.jsonl")], target_path="jl", show_progress=False)
    dropped = Dataset.Tabular.from_json_lines_files(path=(store, "jl/*.jsonl"), invalid_lines="drop")
    assert dropped.to_pandas_dataframe().to_dict("list") == {"a": [1, 2], "b": ["x", "y"]}
    strict = Dataset.Tabular.from_json_lines_files(path=(store, "jl/*.jsonl"))
    with pytest.raises(DatasetExecutionError, match=r"line 3"):
        strict.to_pandas_dataframe()


def test_register_versions_and_lookups(ws, tab):
    from azureml.core import Dataset
    from azureml.exceptions import UserErrorException

    v1 = tab.register(workspace=ws, name="diabetes", description="all rows", tags={"format": "CSV"})
    with pytest.raises(UserErrorException, match="already a dataset registered under name \"diabetes\""):
        tab.take(10).register(workspace=ws, name="diabetes")
    v2 = tab.take(100).register(workspace=ws, name="diabetes", create_new_version=True)
    assert (v1.version, v2.version) == (1, 2)
    assert len(Dataset.get_by_name(ws, "diabetes").to_pandas_dataframe()) == 100
    assert len(Dataset.get_by_name(ws, "diabetes", version=1).to_pandas_dataframe()) == 450
    assert len(Dataset.get_by_name(ws, "diabetes", version="1").to_pandas_dataframe()) == 450
    by_id = Dataset.get_by_id(ws, id=v1.id)
    assert (by_id.name, by_id.version) == ("diabetes", 1)
    assert set(Dataset.get_all(ws)) == {"diabetes"} and ws.datasets["diabetes"].version == 2
    assert Dataset.get_by_name(ws, "diabetes", version=1).tags == {"format": "CSV"}


def test_lookup_errors(ws, tab):
    from azureml.core import Dataset
    from azureml.exceptions import UserErrorException

    tab.register(ws, "known")
    with pytest.raises(UserErrorException, match='Cannot find dataset registered with name "nope" in'):
        Dataset.get_by_name(ws, "nope")
    with pytest.raises(UserErrorException, match=r'"known" \(version: 7\)'):
        Dataset.get_by_name(ws, "known", version=7)
    with pytest.raises(UserErrorException, match="Version value must be number"):
        Dataset.get_by_name(ws, "known", version="newest")
    with pytest.raises(UserErrorException, match='Cannot find dataset with id "abc"'):
        Dataset.get_by_id(ws, "abc")


def test_update_tags_and_unregister(ws, tab):
    from azureml.exceptions import UserErrorException

    ds = tab.register(ws, "tagged", tags={"a": "1"})
    ds = ds.add_tags({"b": "2"})
    assert ds.tags == {"a": "1", "b": "2"}
    assert ds.remove_tags(["a"]).tags == {"b": "2"}
    assert ds.update(description="new").description == "new"
    with pytest.raises(UserErrorException, match="must be registered"):
        tab.add_tags({"x": "y"})
    ds.unregister_all_versions()
    assert "tagged" not in ws.datasets


def test_unregistered_dataset_id_saves_it(ws, tab):
    from azureml.core import Dataset

    assert tab.name is None and tab.version is None
    dataset_id = tab.id
    assert dataset_id and tab.id == dataset_id
    assert len(Dataset.get_by_id(ws, dataset_id).to_pandas_dataframe()) == 450


def test_path_matching_nothing_raises_validation_error(ws):
    from azureml.core import Dataset
    from azureml.data.dataset_error_handling import DatasetValidationError
    from azureml.exceptions import UserErrorException

    store = ws.get_default_datastore()
    with pytest.raises(DatasetValidationError, match="Found no resources for the input provided") as info:
        Dataset.Tabular.from_delimited_files(path=(store, "diabetes-data/*.parquet"))
    assert isinstance(info.value, UserErrorException)
    with pytest.raises(DatasetValidationError):
        Dataset.File.from_files(path=(store, "missing-folder/"))
    lazy = Dataset.File.from_files(path=(store, "later/*.csv"), validate=False)
    with pytest.raises(DatasetValidationError):
        lazy.to_path()
    with pytest.raises(DatasetValidationError, match="Failed to infer column type"):
        Dataset.Tabular.from_delimited_files(path=(store, "later/*.csv"), validate=False)
    later = Dataset.Tabular.from_delimited_files(path=(store, "later/*.csv"), validate=False,
                                                 infer_column_types=False)
    with pytest.raises(DatasetValidationError, match="Failed to validate the data"):
        later.to_pandas_dataframe()


def test_bad_paths_and_arguments(ws, tab):
    from azureml.core import Dataset
    from azureml.exceptions import UserErrorException

    store = ws.get_default_datastore()
    with pytest.raises(UserErrorException, match="Invalid argument type for `path`"):
        Dataset.Tabular.from_delimited_files(path="./data/diabetes.csv")
    with pytest.raises(UserErrorException, match="needs the internet"):
        Dataset.Tabular.from_delimited_files(path="https://example.org/diabetes.csv")
    with pytest.raises(UserErrorException, match="Invalid tuple for path"):
        Dataset.File.from_files(path=("workspaceblobstore", "diabetes-data/"))
    with pytest.raises(UserErrorException, match="Invalid encoding"):
        Dataset.Tabular.from_delimited_files(path=(store, "diabetes-data/"), encoding="ebcdic")
    with pytest.raises(UserErrorException, match="count must be a non-negative integer"):
        tab.take("20")
    with pytest.raises(UserErrorException, match="percentage must be a number between 0 and 1"):
        tab.random_split(70)
    with pytest.raises(UserErrorException, match="tags must be a dictionary"):
        tab.register(ws, "bad-tags", tags=["CSV"])
    with pytest.raises(UserErrorException, match="not simulated"):
        tab.to_spark_dataframe()


def test_unparseable_file_raises_execution_error(ws, tmp_path):
    from azureml.core import Dataset
    from azureml.data.dataset_error_handling import DatasetExecutionError

    store = ws.get_default_datastore()
    (tmp_path / "bad.parquet").write_text("not parquet")
    store.upload_files(files=[str(tmp_path / "bad.parquet")], target_path="bad", show_progress=False)
    ds = Dataset.Tabular.from_parquet_files(path=(store, "bad/bad.parquet"))
    with pytest.raises(DatasetExecutionError, match="bad/bad.parquet as Parquet"):
        ds.to_pandas_dataframe()


def test_file_dataset_download_and_mount(ws, tmp_path):
    from azureml.core import Dataset
    from azureml.exceptions import UserErrorException

    files = Dataset.File.from_files(path=(ws.get_default_datastore(), "diabetes-data/"))
    got = files.download(target_path=str(tmp_path / "dl"))
    assert sorted(os.path.basename(p) for p in got) == ["diabetes.csv", "diabetes2.csv"]
    assert all(os.path.isfile(p) and not os.path.islink(p) for p in got)
    with pytest.raises(UserErrorException, match="already exists. Set overwrite=True"):
        files.download(target_path=str(tmp_path / "dl"))
    assert len(files.download(target_path=str(tmp_path / "dl"), overwrite=True)) == 2
    with files.mount() as context:
        mounted = sorted(os.listdir(context.mount_point))
        assert len(pd.read_csv(os.path.join(context.mount_point, "diabetes.csv"))) == 300
    assert mounted == ["diabetes.csv", "diabetes2.csv"] and not os.path.exists(context.mount_point)
    own = tmp_path / "mnt"
    context = files.mount(mount_point=str(own))
    context.start()
    assert os.path.islink(own / "diabetes.csv")
    context.stop()
    assert own.exists() and not os.listdir(own)


def test_file_dataset_take_and_split(ws):
    from azureml.core import Dataset

    files = Dataset.File.from_files(path=(ws.get_default_datastore(), "diabetes-data/*.csv"))
    assert files.take(1).to_path() == ["/diabetes.csv"]
    assert files.skip(1).to_path() == ["/diabetes2.csv"]
    a, b = files.random_split(0.5, seed=3)
    assert sorted(a.to_path() + b.to_path()) == ["/diabetes.csv", "/diabetes2.csv"]


def test_upload_directory_creates_a_file_dataset(ws, tmp_path):
    from azureml.core import Dataset, Datastore

    lake = Datastore.register_azure_data_lake_gen2(ws, "lake", "fs", "lakeacct")
    write_diabetes_files(tmp_path)
    ds = Dataset.File.upload_directory(src_dir=str(tmp_path / "data"), target=(lake, "raw"), pattern="*2.csv",
                                       show_progress=False)
    assert ds.to_path() == ["/diabetes2.csv"]


def test_consumption_configs(ws, tab):
    from azureml.core import Dataset
    from azureml.data.dataset_consumption_config import DatasetConsumptionConfig
    from azureml.exceptions import UserErrorException

    named = tab.as_named_input("training_data")
    assert isinstance(named, DatasetConsumptionConfig)
    assert (named.name, named.mode, named.arg_val) == ("training_data", "direct",
                                                       "DatasetConsumptionConfig:training_data")
    with pytest.raises(UserErrorException, match="Only FileDataset supports download"):
        named.as_download()
    with pytest.raises(UserErrorException, match="Invalid input name"):
        tab.as_named_input("training data")
    files = Dataset.File.from_files(path=(ws.get_default_datastore(), "diabetes-data/"))
    mounted = files.as_named_input("training_files").as_mount()
    assert (mounted.name, mounted.mode) == ("training_files", "mount")
    assert files.as_download().name.startswith("input_")


def test_materialize_modes(ws, tab, tmp_path):
    from azureml.core import Dataset
    from azureml.data import FileDataset, _input_from_spec

    direct = tab.as_named_input("rows")._materialize(tmp_path)
    assert direct["argument"] == tab.id and direct["name"] == "rows"
    assert len(_input_from_spec(direct["input"]).to_pandas_dataframe()) == 450
    files = Dataset.File.from_files(path=(ws.get_default_datastore(), "diabetes-data/"))
    for mode, is_link in (("as_download", False), ("as_mount", True)):
        spec = getattr(files.as_named_input("f"), mode)()._materialize(tmp_path)
        folder = _input_from_spec(spec["input"])
        assert folder == spec["argument"] and folder.startswith(str(tmp_path))
        assert os.path.islink(os.path.join(folder, "diabetes.csv")) is is_link
    fixed = files.as_named_input("g").as_download(path_on_compute="inputs/g")._materialize(tmp_path)
    assert fixed["argument"] == str(tmp_path / "inputs" / "g")
    assert isinstance(_input_from_spec(files.as_named_input("h")._materialize(tmp_path)["input"]), FileDataset)


def test_timestamp_columns_and_time_filters(ws, tmp_path):
    from azureml.core import Dataset
    from azureml.exceptions import DatasetTimestampMissingError

    store = ws.get_default_datastore()
    pd.DataFrame({"when": ["2024-01-01", "2024-02-01", "2024-03-01"], "v": [1, 2, 3]}).to_csv(
        tmp_path / "t.csv", index=False)
    store.upload_files(files=[str(tmp_path / "t.csv")], target_path="ts", show_progress=False)
    ds = Dataset.Tabular.from_delimited_files(path=(store, "ts/t.csv"))
    with pytest.raises(DatasetTimestampMissingError):
        ds.time_after("2024-01-15")
    timed = ds.with_timestamp_columns(timestamp="when", validate=True)
    assert timed.timestamp_columns == ("when", None)
    assert timed.time_after("2024-01-15").to_pandas_dataframe().v.tolist() == [2, 3]
    assert timed.time_between("2024-01-01", "2024-02-01", include_boundary=False).to_pandas_dataframe().empty
    assert timed.time_before("2024-02-01").to_pandas_dataframe().v.tolist() == [1, 2]


def test_repr_shows_source_steps_and_registration(ws, tab):
    text = str(tab.take(5).register(ws, "shown"))
    assert text.startswith("TabularDataset\n")
    assert "('workspaceblobstore', 'diabetes-data/*.csv')" in text and "TakeBlock" in text
    assert '"name": "shown"' in text
