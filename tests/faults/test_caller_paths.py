"""Probe: a hidden-home kernel cannot make the simulated Azure service read or write host files its sandbox hides.

Before the check in `sim.service.caller_paths`, a routed `datastores.upload` of a file in DP100_HOME (named by its
host path, or through a symbolic link in the lab folder) copied it into a datastore, where the kernel read it
back, and a download wrote wherever it was told.
"""

from __future__ import annotations

import json

import pytest

from labs import sandbox
from tests.faults._hidden import hidden_kernel_in

pytestmark = pytest.mark.skipif(sandbox.isolation().bwrap is None, reason="needs bubblewrap")

PROBE = '''
import json, os
import sim.cloud.datastores
from azureml.core import Workspace
from sim.azureml._common.cloud import cloud

ws = Workspace.create(name="paths-ws", subscription_id="00000000-0000-0000-0000-0000000000af", resource_group="rg",
                      location="eastus", create_resource_group=True, show_output=False)
store = ws.get_default_datastore()
routed = cloud(sim.cloud.datastores)
os.symlink(SECRET, "link-to-secret")
os.makedirs("folder-with-link", exist_ok=True)
os.symlink(SECRET, "folder-with-link/inner")
open("mine.txt", "w").write("my own data")

def attempt(action):
    try:
        action()
        return "done"
    except Exception as exc:
        return str(exc)

seen = {
    "host path": attempt(lambda: routed.upload(ws._record, store.name, [(SECRET, "stolen/a")])),
    "link": attempt(lambda: routed.upload(ws._record, store.name, [(os.path.abspath("link-to-secret"), "stolen/b")])),
    "folder link": attempt(lambda: store.upload(os.path.abspath("folder-with-link"), target_path="stolen/c")),
    "download outside": attempt(lambda: store.download(OUTSIDE, prefix="mine")),
    "own file": attempt(lambda: store.upload_files([os.path.abspath("mine.txt")], target_path="mine")),
    "download here": attempt(lambda: store.download(os.path.abspath("back"), prefix="mine")),
}
seen["read back"] = open("back/mine/mine.txt").read() if os.path.exists("back/mine/mine.txt") else None
print(json.dumps(seen))
'''


@pytest.fixture
def hidden_kernel(monkeypatch, dp100_home):
    with hidden_kernel_in(monkeypatch, dp100_home / "labs" / "paths") as kernel:
        yield kernel


def test_the_service_acts_only_on_paths_the_sandboxed_kernel_could_write_itself(hidden_kernel, dp100_home):
    secret = dp100_home / "progress-like.db"
    secret.write_text("SECRET-ROWS")
    outside = dp100_home / "written-by-the-service"
    setup = f"SECRET = {str(secret)!r}\nOUTSIDE = {str(outside)!r}\n"
    result = hidden_kernel.execute(setup + PROBE)
    assert result.ok, result.text()
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    for refused in ("host path", "link", "folder link", "download outside"):
        assert "does not act on" in seen[refused], (refused, seen[refused])
    assert not outside.exists()
    assert seen["own file"] == "done" and seen["download here"] == "done", seen
    assert seen["read back"] == "my own data"
    blobs = list((dp100_home / "cloud").rglob("stolen"))
    assert blobs == [], f"the datastore received hidden files: {blobs}"


def test_a_caller_that_shares_the_service_s_view_is_not_checked(tmp_path):
    import os

    from sim.service import caller_paths

    caller_paths.check(os.getpid(), [str(tmp_path / "anything")], {"to": "/etc/whatever"})  # no refusal
    with pytest.raises(caller_paths.OutOfReach):  # a caller already gone cannot be checked: refused
        caller_paths.check(2**22 + 1, [], {"to": str(tmp_path)})
