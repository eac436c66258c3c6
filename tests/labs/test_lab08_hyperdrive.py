"""Lab 08: tune hyperparameters with HyperDrive."""

from __future__ import annotations

from labs import api
from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
LAB_ID = "08"  # the `lab` fixture (tests/labs/conftest.py) drives this lab

IGNORES_ARGUMENTS = '''
with open("hyperdrive-training/tune_diabetes.py", "w") as fh:
    fh.write("""
import argparse, os
import joblib, numpy as np, pandas as pd
from azureml.core import Run
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
parser = argparse.ArgumentParser()
parser.add_argument("--learning_rate", type=float)
parser.add_argument("--n_estimators", type=int)
args = parser.parse_args()
run = Run.get_context()
df = pd.read_csv("diabetes.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["PatientID", "Diabetic"]).values,
                                                    df["Diabetic"].values, test_size=0.30, random_state=0)
model = GradientBoostingClassifier(random_state=0).fit(X_train, y_train)
run.log("Accuracy", float(np.mean(model.predict(X_test) == y_test)))
run.log("AUC", float(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])))
os.makedirs("outputs", exist_ok=True)
joblib.dump(model, "outputs/diabetes_model.pkl")
""")
Experiment(ws, "tune-diabetes-trial").submit(trial).wait_for_completion()
'''


def test_the_sweep_cluster_fits_beside_what_the_other_labs_leave():
    # A fresh home (no `lab` fixture): what labs 01 and 05 leave in East US (lab 05 lowers the DSv2 quota there to
    # 8 cores), the largest capstone cluster in each of its regions, then this lab's cluster in its own region.
    from sim.cloud import compute, workspaces

    lab = api.get_lab("08")
    guided = workspaces.create(SUBSCRIPTION, "rg-guided", "mlw-guided", location="eastus")
    compute.set_quota_limit(guided, "standardDSv2Family", 8)
    compute.create_instance(guided, "ci-dp100-lab01", "STANDARD_DS11_V2")
    compute.create_cluster(guided, "cpu-cluster-lab05", "STANDARD_DS11_V2", max_nodes=2)
    capstone = api.get_lab("07").module
    for region in capstone.REGIONS:
        ws = workspaces.create(SUBSCRIPTION, f"rg-cap-{region}", f"mlw-cap-{region}", location=region)
        compute.create_cluster(ws, "cc-largest", capstone.SIZE, max_nodes=3)
    region = lab.module.REGION
    assert f'location="{region}"' in lab.spec.setup
    assert region not in {"eastus", *capstone.REGIONS}
    ws = workspaces.create(SUBSCRIPTION, "rg-lab08", "mlw-lab08", location=region)
    compute.create_cluster(ws, lab.module.CLUSTER, lab.module.SIZE, max_nodes=2)


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_script_that_ignores_its_arguments(lab):
    lab.solve("training-script")
    lab.run(IGNORES_ARGUMENTS)
    assert "not trained with the arguments the run was given" in lab.failure("training-script")


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_the_sweep_ran_six_children_named_after_their_parent(lab):
    lab.run("children = list(grid_run.get_children())\n"
            "assert grid_run.id.startswith('HD_'), grid_run.id\n"
            "assert len(children) == 6, children\n"
            "assert all(c.id.startswith(grid_run.id + '_') for c in children)\n"
            "assert best_run.id in {c.id for c in children}")


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_grid_sampling_refuses_a_continuous_range_as_the_hint_says(lab):
    result = lab.run("GridParameterSampling({'--learning_rate': uniform(0.05, 0.5)})", ok=False)
    assert not result.ok and "supports only choice" in result.text() + str(result.message)


def test_mistake_registering_another_child(lab):
    lab.run("worst = grid_run.get_children_sorted_by_primary_metric(reverse=True)\n"
            "worst_run = next(r for r in grid_run.get_children() if r.id == worst[0]['run_id'])\n"
            "worst_run.register_model(model_name='diabetes-tuned', model_path='outputs/diabetes_model.pkl')")
    assert "does not come from the child with the highest AUC" in lab.failure("register-best")


def test_mistake_tags_that_do_not_match_the_arguments(lab):
    lab.run("best_run.register_model(model_name='diabetes-tuned', model_path='outputs/diabetes_model.pkl', "
            "tags={'learning_rate': 0.8, 'n_estimators': 60}, "
            "properties={'AUC': best_metrics['AUC'], 'Accuracy': best_metrics['Accuracy']})")
    assert "must be the values its run was given" in lab.failure("register-best")


def test_mistake_primary_metric_spelled_differently_from_the_log(lab):
    lab.run("wrong = HyperDriveConfig(run_config=script_config, hyperparameter_sampling=GridParameterSampling("
            "{'--learning_rate': choice(0.2), '--n_estimators': choice(20)}), policy=None, "
            "primary_metric_name='auc', primary_metric_goal=PrimaryMetricGoal.MAXIMIZE, max_total_runs=1)\n"
            "Experiment(ws, 'tune-diabetes-grid').submit(wrong).wait_for_completion(raise_on_error=False)")
    assert "letter for letter" in lab.failure("grid-sweep")
