"""Studio fixes from the QA pass: a created compute is listed at once, headers follow the language."""

from __future__ import annotations

from tests.ui.test_studio_page import studio, workspace  # noqa: F401 - the shared workspace fixture


def _create(at, name: str):
    at.text_input(key="studio_compute_name").input(name)
    at.selectbox(key="studio_vm_size").set_value("STANDARD_DS11_V2")
    next(b for b in at.button if b.label == "Create").click().run()
    return at


def test_a_created_cluster_is_in_the_compute_table_of_the_same_run(workspace):  # noqa: F811
    at = _create(studio(), "cpu-cluster")
    assert not at.exception
    compute = at.dataframe[0].value
    assert "cpu-cluster" in list(compute["Name"]), "the table drawn after Create must list the new cluster"
    assert "Created cpu-cluster" in at.success[0].value


def test_an_sdk_error_from_the_form_is_shown_under_the_table(workspace):  # noqa: F811
    at = _create(studio(), "x")
    assert not at.exception and at.error
    assert at.error[0].value.startswith(("ComputeTargetException", "UserErrorException", "ValueError"))


def test_headers_and_priorities_follow_the_language(workspace):  # noqa: F811
    at = studio()
    at.session_state["lang"] = "pt-BR"  # this session only; the saved language stays English
    at.run()
    experiments = next(df.value for df in at.dataframe if "Execuções" in df.value.columns)
    assert "Nome" in experiments.columns
    assert at.radio(key="studio_priority").options == ["Dedicada", "Baixa prioridade"]


def test_a_compute_instance_lists_its_machine_state(workspace):  # noqa: F811
    at = studio()
    at.radio(key="studio_compute_kind").set_value("instance").run()
    _create(at, "ci-learner")
    compute = at.dataframe[0].value
    row = compute[compute["Name"] == "ci-learner"].iloc[0]
    assert row["State"] == "Running", "an instance shows Running/Stopped, not its provisioning state"


def test_run_labels_follow_the_language(workspace):  # noqa: F811
    at = studio()
    at.session_state["lang"] = "pt-BR"
    at.run()
    label = at.selectbox(key="studio_run").options[0]  # the labels as drawn
    assert label.startswith("Execução 1 ·"), label


def test_a_logged_image_is_shown_under_its_metric_name_not_as_a_value(workspace):  # noqa: F811
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.azureml.core import Experiment

    run = Experiment(workspace, "a-images").start_logging()
    run.log("observations", 10)
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [1, 2])
    run.log_image("label_distribution", plot=fig)
    run.log_list("label_counts", [6, 4])
    run.complete()
    at = studio()
    at.selectbox(key="studio_experiment").set_value("a-images").run()
    scalars = next(df.value for df in at.dataframe if "observations" in df.value.columns)
    assert "label_distribution" not in scalars.columns
    assert any(m.value == "*label_counts*" for m in at.markdown), "each chart is named"
    from sim import studio as views  # image captions are not readable through AppTest

    assert list(views.run_view(workspace, "a-images", run.id)["images"]) == ["label_distribution"]


def test_an_endpoint_answer_stays_on_the_page_until_the_next_request(workspace, monkeypatch):  # noqa: F811
    from sim import studio as views

    # A stand-in service (deploying a real one is the lab tests' job): the page's own logic is under test.
    monkeypatch.setattr(views, "endpoint_rows", lambda ws: [{"name": "svc", "type": "ACI", "state": "Healthy",
                                                              "scoring_uri": "", "auth": False}])
    monkeypatch.setattr(views, "endpoint_logs", lambda ws, name: "")
    monkeypatch.setattr(views, "score", lambda ws, name, body: '["diabetic"]' if body.startswith("{") else
                        (_ for _ in ()).throw(ValueError("The request body is not valid JSON; fix it.")))
    at = studio()
    at.button(key="studio_send").click().run()
    assert any(c.value == '["diabetic"]' for c in at.code)
    at.text_area(key="studio_request").input('{"data": [[1]]}').run()  # editing is not sending
    assert any(c.value == '["diabetic"]' for c in at.code), "the answer must not vanish on the next rerun"
    at.text_area(key="studio_request").input("nope").run()
    at.button(key="studio_send").click().run()
    assert at.error and at.error[0].value.startswith("ValueError: The request body is not valid JSON")


def test_refresh_reads_a_provisioning_cluster_again(workspace, monkeypatch):  # noqa: F811
    import time

    from progress import Record
    from ui import session

    for variable in session.REALISTIC_DELAYS:  # the page sets these for the process: restore them afterwards
        monkeypatch.setenv(variable, "0")
    Record().set_setting("realistic_delays", True)
    monkeypatch.setitem(session.REALISTIC_DELAYS, "DP100_SIM_COMPUTE_DELAY", 1)  # shortened for the test
    at = _create(studio(), "slow-cluster")
    states = dict(zip(at.dataframe[0].value["Name"], at.dataframe[0].value["State"], strict=True))
    assert states["slow-cluster"] == "Creating"
    time.sleep(1.2)
    at.button(key="studio_refresh").click().run()
    states = dict(zip(at.dataframe[0].value["Name"], at.dataframe[0].value["State"], strict=True))
    assert states["slow-cluster"] == "Succeeded"
