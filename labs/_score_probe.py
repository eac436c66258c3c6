"""Try an entry script the way a scoring container would: `python -m labs._score_probe SCRIPT APP_ROOT BODY`.

APP_ROOT holds `azureml-models/<name>/<version>/...` (the engine copies the registered model there). The
probe activates the simulator, imports the script, calls `init()` and then `run(BODY)`, and prints one JSON
line: `{"ok": true, "result": ...}` or `{"ok": false, "stage": "import|init|run", "error": "..."}`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys


def main(script: str, app_root: str, body: str) -> dict:
    os.environ["AML_APP_ROOT"] = app_root
    try:
        import sim

        sim.activate()
    except ImportError:
        pass
    stage = "import"
    try:
        spec = importlib.util.spec_from_file_location("entry_script", script)
        module = importlib.util.module_from_spec(spec)
        sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
        spec.loader.exec_module(module)
        stage = "init"
        module.init()
        stage = "run"
        result = module.run(body)
        json.dumps(result)
    except Exception as exc:  # noqa: BLE001 - report any failure of the learner's script
        return {"ok": False, "stage": stage, "error": f"{type(exc).__name__}: {exc}"}
    return {"ok": True, "result": result}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
