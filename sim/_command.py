"""Inside a job process: run a command job's command line (SDK v2), as Azure ML's job runtime does.

The command is what the learner wrote, with `${{inputs.x}}` and `${{outputs.y}}` already replaced by the service
(`sim.cloud.command_jobs`). `python script.py args`, `python -m module args` and `python -c code` run in this
(preloaded, forked) interpreter as `__main__`, the way a fresh Python would run them, so the script's MLflow calls
attach to the job's run; anything else (`ls`, `bash run.sh`, `a && b`) runs in a shell. Output goes to the log
the runner opened (`user_logs/std_log.txt`). The environment's packages are enforced (`sim._envguard`).
"""

from __future__ import annotations

import os
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

PYTHONS = ("python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}")
SHELL_PUNCTUATION = set(";&|<>()")


def parse(command: str) -> tuple[str, list[str]]:
    """How to run a command: ('script'|'module'|'code', argv) for Python, ('shell', [command]) otherwise."""
    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
    except ValueError:
        return "shell", [command]
    if not tokens or any(set(t) <= SHELL_PUNCTUATION for t in tokens) or "$" in command:
        return "shell", [command]
    if Path(tokens[0]).name not in PYTHONS or len(tokens) < 2:
        return "shell", [command]
    flag = {"-m": "module", "-c": "code"}.get(tokens[1])
    if flag:
        return (flag, tokens[2:]) if len(tokens) > 2 else ("shell", [command])
    return ("script", tokens[1:]) if not tokens[1].startswith("-") else ("shell", [command])


def run(mode: str, argv: list[str]) -> int | None:
    """Run the parsed command in the current folder; returns a shell's exit status (None for Python)."""
    if mode == "shell":
        env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
        return subprocess.run(["/bin/bash", "-c", argv[0]], env=env, stdin=subprocess.DEVNULL).returncode
    sys.argv = list(argv) if mode != "code" else ["-c", *argv[1:]]
    if mode == "module":
        sys.path.insert(0, str(Path.cwd()))
        runpy.run_module(argv[0], run_name="__main__", alter_sys=True)
    elif mode == "code":
        sys.path.insert(0, "")
        exec(compile(argv[0], "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
    else:
        script = str(Path.cwd() / argv[0])
        sys.argv[0] = script
        sys.path.insert(0, str(Path(script).parent))
        runpy.run_path(script, run_name="__main__")
    return None


def failure(program: str, status: int, log_name: str, detail: str = "") -> dict:
    """The error a command job records when its process fails, in Azure ML's words."""
    message = (f"Execution failed. User process '{program}' exited with status code {status}. Please check log "
               f"file '{log_name}' for error details. Error: {detail}")
    return {"error": {"code": "UserError", "message": message.rstrip(), "details": []}}
