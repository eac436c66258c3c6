"""TabularDataset.filter with the column expressions a learner writes: comparisons, &, |, ~, text tests."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.sim._data_helpers import new_workspace

pytestmark = pytest.mark.usefixtures("sim_active")

PEOPLE = pd.DataFrame({
    "Name": ["Ann", "Bob", "Cid", None, "Dan", "Abe"],
    "Age": [20, 35, 50, 61, None, 72],
    "Score": [1.5, 2.0, 3.5, 4.0, 0.5, 2.5],
    "Joined": ["2020-01-01", "2021-06-01", "2022-01-01", "2023-01-01", "2024-01-01", "2019-05-05"],
})


@pytest.fixture(scope="module")
def people(sim_active, tmp_path_factory):
    """A registered-able tabular dataset of six people, read from a CSV in the default datastore."""
    from azureml.core import Dataset

    root = tmp_path_factory.mktemp("expr")
    mp = pytest.MonkeyPatch()
    mp.setenv("DP100_HOME", str(root / "home"))
    PEOPLE.to_csv(root / "people.csv", index=False)
    ws = new_workspace("expr-ws")
    store = ws.get_default_datastore()
    store.upload_files([str(root / "people.csv")], target_path="people/", show_progress=False)
    ds = Dataset.Tabular.from_delimited_files(path=(store, "people/people.csv"))
    yield ws, ds
    mp.undo()


def names(ds, expression) -> list:
    """The names on the rows the filter keeps (a missing name as None)."""
    return [None if pd.isna(n) else n for n in ds.filter(expression).to_pandas_dataframe()["Name"]]


@pytest.mark.parametrize(("build", "expected"), [
    (lambda d: d["Age"] == 35, ["Bob"]),
    (lambda d: d["Age"] != 35, ["Ann", "Cid", None, "Dan", "Abe"]),  # a missing age is "not 35"
    (lambda d: d["Age"] < 35, ["Ann"]),
    (lambda d: d["Age"] <= 35, ["Ann", "Bob"]),
    (lambda d: d["Age"] > 61, ["Abe"]),
    (lambda d: d["Age"] >= 61, [None, "Abe"]),
    (lambda d: 30 < d["Age"], ["Bob", "Cid", None, "Abe"]),  # a reflected comparison
])
def test_comparisons_keep_the_matching_rows(people, build, expected):
    _, ds = people
    assert names(ds, build(ds)) == expected


def test_and_or_not_combine_conditions(people):
    _, ds = people
    assert names(ds, (ds["Age"] > 30) & (ds["Score"] < 3)) == ["Bob", "Abe"]
    assert names(ds, (ds["Age"] < 30) | (ds["Score"] >= 4)) == ["Ann", None]
    assert names(ds, ~(ds["Age"] > 30)) == ["Ann", "Dan"]  # a missing age is not > 30
    assert names(ds, ~((ds["Age"] > 30) | ds["Name"].is_null())) == ["Ann", "Dan"]


def test_arithmetic_inside_a_comparison(people):
    _, ds = people
    assert names(ds, ds["Score"] * 2 > 6) == ["Cid", None]
    assert names(ds, ds["Score"] + 1 == 3) == ["Bob"]
    assert names(ds, ds["Score"] - 0.5 == 0) == ["Dan"]
    assert names(ds, ds["Age"] / 10 >= 6.1) == [None, "Abe"]


def test_text_and_null_tests(people):
    _, ds = people
    assert names(ds, ds["Name"].starts_with("A")) == ["Ann", "Abe"]
    assert names(ds, ds["Name"].ends_with("n")) == ["Ann", "Dan"]
    assert names(ds, ds["Name"].contains("o")) == ["Bob"]
    assert names(ds, ds["Name"].is_in(["Cid", "Dan"])) == ["Cid", "Dan"]
    assert names(ds, ds["Age"].is_null()) == ["Dan"]


def test_filters_chain_and_leave_the_source_unchanged(people):
    _, ds = people
    adults = ds.filter(ds["Age"] >= 30)
    assert names(adults, adults["Score"] > 2.2) == ["Cid", None, "Abe"]
    assert len(ds.to_pandas_dataframe()) == 6


def test_numpy_and_datetime_literals_survive_registration(people):
    ws, ds = people
    from azureml.core import Dataset

    typed = ds.filter(ds["Age"] > np.int64(60)).register(ws, "older-people", create_new_version=True)
    assert names(Dataset.get_by_name(ws, "older-people"), ds["Age"] > 0) == [None, "Abe"]
    assert typed.version >= 1
    from azureml.data.dataset_factory import DataType

    dated = Dataset.Tabular.from_delimited_files(path=(ws.get_default_datastore(), "people/people.csv"),
                                                 set_column_types={"Joined": DataType.to_datetime("%Y-%m-%d")})
    recent = dated.filter(dated["Joined"] >= dt.datetime(2022, 1, 1))
    recent.register(ws, "recent-people", create_new_version=True)
    again = Dataset.get_by_name(ws, "recent-people")
    assert names(again, again["Score"] > 0) == ["Cid", None, "Dan"]


@pytest.mark.parametrize("write", [
    lambda d: (d["Age"] > 30) and (d["Score"] < 3),
    lambda d: 30 < d["Age"] < 60,
    lambda d: not d["Age"].is_null(),
])
def test_python_keywords_are_refused_with_the_operator_to_use(people, write):
    _, ds = people
    with pytest.raises(RuntimeError, match=r"combine conditions with &, \| and ~"):
        write(ds)


@pytest.mark.parametrize(("write", "message"), [
    (lambda d: (d["Age"] + 1) & (d["Score"] > 1), "not an arithmetic expression"),
    (lambda d: (d["Age"] > 1) | True, "not bool"),
    (lambda d: ~(d["Score"] * 2), "not an arithmetic expression"),
    (lambda d: d["Name"].starts_with(5), "starts_with expects a string, not int"),
    (lambda d: d["Name"].contains(None), "contains expects a string, not NoneType"),
    (lambda d: d["Name"].ends_with(["n"]), "ends_with expects a string, not list"),
    (lambda d: d["Name"].is_in("Ann"), "is_in expects a list of values"),
    (lambda d: d[0] > 1, "named by a string, not int"),
    (lambda d: d[["Age"]] > 1, "named by a string, not list"),
])
def test_malformed_expressions_fail_when_written(people, write, message):
    _, ds = people
    with pytest.raises(TypeError, match=message):
        write(ds)


@pytest.mark.parametrize("write", [
    lambda d: d["Age"] % 2 == 0, lambda d: d["Age"] // 10 == 3, lambda d: d["Age"] ** 2 > 9,
    lambda d: d["Age"].is_error(),
])
def test_unsimulated_operations_say_so(people, write):
    _, ds = people
    from sim.azureml._common.not_simulated import NotSimulatedError

    with pytest.raises(NotSimulatedError, match="is not simulated"):
        write(ds)


def test_expressions_are_not_hashable_and_filter_needs_one(people):
    _, ds = people
    from azureml.exceptions import UserErrorException

    with pytest.raises(TypeError):
        hash(ds["Age"])
    with pytest.raises(UserErrorException, match="not bool"):
        ds.filter(True)
