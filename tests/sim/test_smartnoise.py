"""Differential privacy as mslearn-dp100 notebook 13 uses it: `opendp.smartnoise.core` analyses, metadata from YAML
and `opendp.smartnoise.sql` readers, served over the real OpenDP library (noise real, epsilon respected)."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

import sim.smartnoise.core as sn
from labs import data
from sim.smartnoise.metadata import CollectionMetadata
from sim.smartnoise.sql import PandasReader, PrivateReader

META_YAML = """Database:
  diabetes:
    diabetes:
      rows: 10000
      PatientID: {type: int, private_id: True}
      Pregnancies: {type: int, lower: 0, upper: 20}
      BMI: {type: float, lower: 0, upper: 100}
      Age: {type: int, lower: 0, upper: 120}
      Diabetic: {type: boolean}
"""
QUERY = "SELECT Diabetic, AVG(Age) AS AvgAge FROM diabetes.diabetes GROUP BY Diabetic"


@pytest.fixture(scope="module")
def diabetes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dp")
    path = data.write_csv(folder)
    (folder / "diabetes.yml").write_text(META_YAML)
    return path, pd.read_csv(path), CollectionMetadata.from_file(folder / "diabetes.yml")


def _private_mean(path, frame, epsilon):
    with sn.Analysis() as analysis:
        dataset = sn.Dataset(path=str(path), column_names=list(frame.columns))
        mean = sn.dp_mean(data=sn.to_float(dataset["Age"]), privacy_usage={"epsilon": epsilon}, data_lower=0.0,
                          data_upper=120.0, data_rows=len(frame))
    analysis.release()
    return mean.value, analysis


def test_import_path_of_the_notebook_resolves_here_and_leaves_real_opendp_alone(sim_active):
    core = importlib.import_module("opendp.smartnoise.core")
    assert core is sn
    assert importlib.import_module("opendp.smartnoise.sql").PrivateReader is PrivateReader
    assert importlib.import_module("opendp.smartnoise.metadata").CollectionMetadata is CollectionMetadata
    assert importlib.import_module("opendp.prelude").__name__ == "opendp.prelude"  # the real library


def test_without_the_simulator_opendp_has_no_smartnoise(sim_active):
    import sim

    sim.deactivate()
    try:
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module("opendp.smartnoise.core")
        assert importlib.import_module("opendp").__name__ == "opendp"
    finally:
        sim.activate()


def test_private_mean_is_noisy_but_near_the_truth_and_records_its_budget(diabetes):
    path, frame, _ = diabetes
    value, analysis = _private_mean(path, frame, 0.5)
    assert isinstance(value, float) and value != frame.Age.mean()
    assert abs(value - frame.Age.mean()) < 2.0  # Laplace scale (120/10000)/0.5 x2 for the resize: ~0.05
    assert analysis.privacy_usage == {"epsilon": 0.5, "delta": 0.0}


def test_lower_epsilon_gives_more_error_on_average(diabetes):
    path, frame, _ = diabetes
    truth = frame.Age.mean()
    errors = {eps: np.mean([abs(_private_mean(path, frame, eps)[0] - truth) for _ in range(25)]) for eps in (0.02, 2.0)}
    assert errors[0.02] > 10 * errors[2.0]


def test_histogram_has_one_count_per_bin_plus_the_rest_never_negative(diabetes):
    path, frame, _ = diabetes
    edges = list(range(0, 130, 10))
    with sn.Analysis() as analysis:
        dataset = sn.Dataset(path=str(path), column_names=list(frame.columns))
        histogram = sn.dp_histogram(sn.to_int(dataset["Age"], lower=0, upper=120), edges=edges, upper=10000,
                                    null_value=-1, privacy_usage={"epsilon": 0.5})
    analysis.release()
    exact = np.histogram(frame.Age, bins=edges)[0]
    assert len(histogram.value) == len(edges) and histogram.value.min() >= 0 and histogram.value.max() <= 10000
    assert np.abs(histogram.value[:-1] - exact).max() < 60  # discrete Laplace, scale 2/0.5


def test_covariance_is_a_one_by_one_matrix_near_the_truth(diabetes):
    path, frame, _ = diabetes
    with sn.Analysis() as analysis:
        dataset = sn.Dataset(path=str(path), column_names=list(frame.columns))
        cov = sn.dp_covariance(left=sn.to_float(dataset["Age"]), right=sn.to_float(dataset["BMI"]),
                               privacy_usage={"epsilon": 5.0}, left_lower=0.0, left_upper=120.0, left_rows=10000,
                               right_lower=0.0, right_upper=100.0, right_rows=10000)
    analysis.release()
    assert np.asarray(cov.value).shape == (1, 1)
    assert abs(cov.value[0][0] - frame.Age.cov(frame.BMI)) < 5


def test_gaussian_noise_needs_a_delta_and_then_releases(diabetes):
    path, frame, _ = diabetes
    with sn.Analysis() as analysis:
        dataset = sn.Dataset(path=str(path), column_names=list(frame.columns))
        age = sn.to_float(dataset["Age"])
        with pytest.raises(ValueError, match="delta"):
            sn.dp_mean(age, privacy_usage={"epsilon": 1.0}, data_lower=0.0, data_upper=120.0, data_rows=10000,
                       mechanism="Gaussian")
        mean = sn.dp_mean(age, privacy_usage={"epsilon": 1.0, "delta": 1e-6}, data_lower=0.0, data_upper=120.0,
                          data_rows=10000, mechanism="Gaussian")
    analysis.release()
    assert abs(mean.value - frame.Age.mean()) < 2.0


@pytest.mark.parametrize("build, message", [
    (lambda d: sn.dp_mean(sn.to_float(d["Age"]), privacy_usage={"epsilon": 1}, data_rows=10), "data_lower"),
    (lambda d: sn.dp_mean(sn.to_float(d["Age"]), privacy_usage={"epsilon": 1}, data_lower=0, data_upper=1),
     "data_rows"),
    (lambda d: sn.dp_mean(sn.to_float(d["Age"]), privacy_usage={"epsilon": 0}, data_lower=0, data_upper=1,
                          data_rows=5), "above 0"),
    (lambda d: sn.dp_mean(sn.to_float(d["Age"]), privacy_usage=None, data_lower=0, data_upper=1, data_rows=5),
     "privacy_usage"),
    (lambda d: sn.dp_histogram(d["Age"], privacy_usage={"epsilon": 1}), "edges"),
    (lambda d: d["Nope"].data(), "no column 'Nope'"),
])
def test_bad_arguments_are_named(diabetes, build, message):
    path, frame, _ = diabetes
    with sn.Analysis():
        dataset = sn.Dataset(path=str(path), column_names=list(frame.columns))
        with pytest.raises((ValueError, KeyError), match=message):
            build(dataset)


def test_values_are_released_only_for_private_statistics_after_release(diabetes):
    path, frame, _ = diabetes
    with pytest.raises(RuntimeError, match="inside an analysis"):
        sn.Dataset(path=str(path))
    with sn.Analysis() as analysis:
        dataset = sn.Dataset(path=str(path), column_names=list(frame.columns))
        age = sn.to_float(dataset["Age"])
        count = sn.dp_count(age, privacy_usage={"epsilon": 1.0})
    with pytest.raises(ValueError, match="analysis.release"):
        _ = count.value
    analysis.release()
    assert abs(count.value - len(frame)) < 40
    with pytest.raises(ValueError, match="not differentially private"):
        _ = age.value


def test_metadata_reads_smartnoise_yaml_and_prints_its_tables(diabetes):
    meta = diabetes[2]
    table = meta["diabetes.diabetes"]
    assert table.rowcount == 10000 and table.key_column().name == "PatientID"
    assert (table.columns["Age"].lower, table.columns["Age"].upper) == (0, 120)
    assert "diabetes.diabetes [10000 rows]" in str(meta) and "*PatientID [int]" in str(meta)
    with pytest.raises(ValueError, match="type 'number'"):
        CollectionMetadata.from_dict({"db": {"s": {"t": {"x": {"type": "number"}}}}})


def test_pandas_reader_answers_exactly(diabetes):
    _, frame, meta = diabetes
    header, *rows = PandasReader(frame, meta).execute(QUERY)
    expected = frame.groupby("Diabetic").Age.mean()
    assert header == ["Diabetic", "AvgAge"]
    assert {r[0]: round(r[1], 9) for r in rows} == {k: round(v, 9) for k, v in expected.items()}


def test_private_reader_is_close_at_high_epsilon_and_worse_at_low_epsilon(diabetes):
    _, frame, meta = diabetes
    reader = PandasReader(frame, meta)
    truth = frame.groupby("Diabetic").Age.mean()

    def error(epsilon):
        answers = [PrivateReader(reader, meta, epsilon).execute(QUERY) for _ in range(10)]
        return np.mean([abs(r[1] - truth[r[0]]) for answer in answers for r in answer[1:]])
    assert PrivateReader(reader=reader, metadata=meta, epsilon_per_column=0.7).execute(QUERY)[0] == ["Diabetic",
                                                                                                      "AvgAge"]
    assert error(0.05) > 5 * error(5.0)


def test_private_reader_filters_orders_and_limits(diabetes):
    _, frame, meta = diabetes
    reader = PrivateReader(PandasReader(frame, meta), meta, 10.0)
    header, *rows = reader.execute("SELECT Pregnancies, COUNT(*) AS n FROM diabetes.diabetes WHERE Age > 40 "
                                   "GROUP BY Pregnancies ORDER BY n DESC LIMIT 3")
    exact = frame[frame.Age > 40].Pregnancies.value_counts()
    assert header == ["Pregnancies", "n"] and len(rows) == 3
    assert [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)
    assert all(abs(n - exact[p]) < 10 for p, n in rows)


def test_private_reader_hides_a_group_of_one_person(diabetes):
    _, frame, meta = diabetes
    lonely = frame.copy()
    lonely.loc[0, "Pregnancies"] = 19  # nobody else has 19
    answer = PrivateReader(PandasReader(lonely, meta), meta, 1.0).execute(
        "SELECT Pregnancies, COUNT(*) AS n FROM diabetes.diabetes GROUP BY Pregnancies")
    assert 19 not in [r[0] for r in answer[1:]]
    assert 0 in [r[0] for r in answer[1:]]


@pytest.mark.parametrize("query, message", [
    ("SELECT Age FROM diabetes.diabetes", "neither an aggregate"),
    ("SELECT MEDIAN(Age) FROM diabetes.diabetes", "MEDIAN\\(\\) is not simulated"),
    ("SELECT AVG(Height) FROM diabetes.diabetes", "no column 'Height'"),
    ("SELECT COUNT(*) FROM other.table", "no table 'other.table'"),
    ("SELECT PatientID, COUNT(*) FROM diabetes.diabetes GROUP BY PatientID", "private identifier"),
    ("DELETE FROM diabetes.diabetes", "must start with SELECT"),
])
def test_private_reader_names_what_it_cannot_answer(diabetes, query, message):
    _, frame, meta = diabetes
    with pytest.raises(ValueError, match=message):
        PrivateReader(PandasReader(frame, meta), meta, 1.0).execute(query)


def test_readers_refuse_swapped_arguments(diabetes):
    _, frame, meta = diabetes
    with pytest.raises(TypeError, match="data frame first"):
        PandasReader(meta, frame)
    with pytest.raises(TypeError, match="needs a reader"):
        PrivateReader(frame, meta)
