"""Settings: a reset starts the learner afresh, on the page as well as on disk."""

from __future__ import annotations

from progress import Record


def test_reset_clears_the_session_so_old_toggles_do_not_come_back(page_test):
    Record().set_setting("realistic_delays", True)
    Record().record_answer("q-1", "a", True)
    at = page_test("settings_page.py").run()
    at.session_state["lab_open"] = "01"  # something another page left in the session
    assert at.toggle(key="settings_delays").value is True
    at.text_input(key="settings_reset_confirm").input("RESET").run()
    at.button(key="settings_reset").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success[0].value.startswith("Removed")
    assert at.toggle(key="settings_delays").value is False
    assert at.text_input(key="settings_reset_confirm").value == ""
    assert at.button(key="settings_reset").disabled
    assert "lab_open" not in at.session_state
    at.run()  # the next rerun must not write the old toggle back
    assert Record().get_setting("realistic_delays") is None
    assert Record().answers() == []
