"""Lab 10: make data available (datastores, data assets, MLTable, SDK v2)."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "10"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_a_subset_with_the_index_column_is_caught(lab):
    lab.run('df[df["Age"] >= 50].to_csv("older/with-index.csv")\n'
            'ml_client.data.create_or_update(Data(name="diabetes-50plus", path="older/with-index.csv", '
            'type=AssetTypes.URI_FILE))')
    assert "no index column" in lab.failure("wrangle")


def test_mistake_folder_uploaded_to_the_default_datastore_is_named(lab):
    lab.reset()
    lab.solve("uri-folder", through=False)
    lab.run('ml_client.data.create_or_update(Data(name="diabetes-parts", version="1", path="parts/", '
            'type=AssetTypes.URI_FOLDER))')
    assert "does not live on 'training_data_blob'" in lab.failure("uri-folder")
