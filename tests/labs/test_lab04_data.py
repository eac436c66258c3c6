"""Lab 04: work with data."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "04"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_uploading_only_one_half(lab):
    lab.run('from azureml.core import Dataset, Workspace\nws = Workspace.from_config()\n'
            'default_ds = ws.get_default_datastore()\n'
            'default_ds.upload_files(files=["./data/diabetes-part1.csv"], target_path="diabetes-data/")')
    assert "lacks diabetes-part2.csv" in lab.failure("upload-data")


def test_mistake_tabular_dataset_over_one_file(lab):
    lab.run('default_ds.upload_files(files=["./data/diabetes-part2.csv"], target_path="diabetes-data/")\n'
            'one = Dataset.Tabular.from_delimited_files(path=(default_ds, "diabetes-data/diabetes-part1.csv"))\n'
            'one.register(workspace=ws, name="diabetes-tabular", tags={"format": "csv"})')
    assert "use the wildcard path" in lab.failure("tabular-dataset")


def test_reference_solution_passes_every_check(lab):
    lab.reset()
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_latest_version_instead_of_version_1(lab):
    lab.run('latest = Dataset.get_by_name(ws, "diabetes-tabular")\n'
            'cfg = ScriptRunConfig(source_directory="data-scripts", script="count_rows.py",\n'
            '                      arguments=["--input-data", latest.as_named_input("training_data")])\n'
            'experiment.submit(cfg).wait_for_completion()')
    assert "without version= returns the newest version" in lab.failure("script-inputs")


def test_mistake_file_dataset_registered_as_tabular(lab):
    lab.run('Dataset.Tabular.from_delimited_files(path=(default_ds, "diabetes-data/*.csv")).register('
            'workspace=ws, name="diabetes-files", create_new_version=True)')
    assert "not a file dataset" in lab.failure("file-dataset")
