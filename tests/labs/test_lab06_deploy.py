"""Lab 06: deploy a real-time service."""

from __future__ import annotations

from tests.labs.labkit import assert_all_pass, assert_untouched_fails_distinctly

LAB_ID = "06"  # the `lab` fixture (tests/labs/conftest.py) drives this lab


def test_untouched_lab_fails_every_check_with_its_own_message(lab):
    assert_untouched_fails_distinctly(lab)


def test_mistake_run_returns_numpy_array(lab):
    lab.solve("scoring-script")
    lab.run('text = open("service-files/score_diabetes.py").read().replace('
            '"return [classes[int(p)] for p in model.predict(data)]", "return model.predict(data)")\n'
            'open("service-files/score_diabetes.py", "w").write(text)')
    message = lab.failure("scoring-script")
    assert "fails in run()" in message and ".tolist()" in message and "get_model_path" not in message


def test_reference_solution_passes_every_check(lab):
    lab.solve()
    assert_all_pass(lab)


def test_running_the_solution_twice_still_passes(lab):
    lab.solve()
    assert_all_pass(lab)


def test_mistake_features_with_patient_id(lab):
    lab.run('rows = df.drop(columns=["Diabetic"]).head(10).values.tolist()\n'
            'r = requests.post(service.scoring_uri, data=json.dumps({"data": rows}), '
            'headers={"Content-Type": "application/json"})\n'
            'json.dump(r.json() if r.ok else r.text, open("predictions.json", "w"))')
    assert "predictions.json is not what the model predicts" in lab.failure("consume")


def test_mistake_deleting_the_healthy_service_too(lab):
    lab.run('service.delete()')
    assert "There is no service 'diabetes-service'" in lab.failure("deploy-aci")
    assert "was deleted too" in lab.failure("troubleshoot")
