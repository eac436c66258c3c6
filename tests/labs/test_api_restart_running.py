"""Restarting a lab's kernel while a cell runs stops the cell instead of waiting for it to end."""

from __future__ import annotations

import threading
import time

from labs import api


def test_closing_a_session_interrupts_a_running_cell():
    session = api.open_session("01")
    results = []
    worker = threading.Thread(target=lambda: results.append(session.run("import time\ntime.sleep(60)")))
    worker.start()
    time.sleep(1.5)  # the cell is running
    started = time.monotonic()
    api.close_session("01")
    worker.join(timeout=30)
    assert time.monotonic() - started < 15, "the restart waited for the cell instead of stopping it"
    assert results and results[0].error and results[0].error["ename"] == "KeyboardInterrupt"
    assert not session.kernel.alive
