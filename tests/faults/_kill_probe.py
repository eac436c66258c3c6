"""A fork server for kill -9 probes: one interpreter imports the simulator once, then forks one child per trial,
lets it repeat an operation, and kills it with SIGKILL after a random number of milliseconds (seeded).

    python -m tests.faults._kill_probe <operation> <seed> <trials> <min ms> <max ms> [tag]

The tag names what the children make (experiment, model, workspaces, services), so probes of the two modes
(env `DP100_SERVICE`: "inprocess", or "process" with the simulated Azure as its own process) can share one
DP100_HOME. In process mode the server starts the service before forking, so the children only send requests.

A child tells what it has been acknowledged through memory shared with the server (an anonymous MAP_SHARED map
made before the fork): it writes a record into the next slot, then bumps the count, so a record counts as
acknowledged only once the call that made it has returned. A kill between the two loses nothing that counts.
The server prints one JSON line: per trial, the kill delay, the exit signal and the acknowledged records.
The server opens the workspace's MLflow store once (about a second each time otherwise); a child drops the
inherited connections at once and opens its own, as SQLAlchemy advises after a fork.
"""

from __future__ import annotations

import itertools
import json
import mmap
import os
import random
import signal
import struct
import sys
import time

SLOTS, SLOT_SIZE = 65536, 64  # a fast machine acknowledged more than 4,096 values in a 1.2 s trial
HEADER = 8  # the count of acknowledged records, then SLOTS slots


class Acks:
    """Acknowledged records in shared memory (written by the child, read by the server after the kill)."""

    def __init__(self):
        self.memory = mmap.mmap(-1, HEADER + SLOTS * SLOT_SIZE)

    def add(self, text: str) -> None:
        count = struct.unpack_from("<q", self.memory, 0)[0]
        if count == SLOTS:  # never wrap: an overwritten first record (a run id) would be read as a value
            raise OverflowError(f"more than {SLOTS} acknowledged records in one trial; raise SLOTS")
        data = text.encode()[:SLOT_SIZE - 1]
        start = HEADER + count * SLOT_SIZE
        self.memory[start:start + SLOT_SIZE] = data.ljust(SLOT_SIZE, b"\0")
        struct.pack_into("<q", self.memory, 0, count + 1)  # only now is the record acknowledged

    def read(self) -> list[str]:
        count = struct.unpack_from("<q", self.memory, 0)[0]
        slots = [HEADER + i * SLOT_SIZE for i in range(count)]
        return [self.memory[s:s + SLOT_SIZE].rstrip(b"\0").decode() for s in slots]


def run_log(acks: Acks, trial: int, tag: str) -> None:
    """Start a run, then log an endless stream through the four logging calls (a flush every 100 values)."""
    from azureml.core import Experiment, Workspace

    from sim.cloud.runs import metrics

    metrics.MAX_BUFFERED = 100  # flushes (table insert + MLflow copy) often, so kills land inside them too
    run = Experiment(Workspace.from_config(), f"kill-run-log{tag}").start_logging(outputs=False)
    acks.add(run.id)
    for i in itertools.count():
        kind = i % 4
        if kind == 0:
            run.log("i", i)
        elif kind == 1:
            run.log_list("l", [i])
        elif kind == 2:
            run.log_row("r", i=i)
        else:
            run.log_table("t", {"i": [i]})
        acks.add(str(i))


def register(acks: Acks, trial: int, tag: str) -> None:
    """Register versions of one model (a small folder) until killed."""
    from azureml.core import Model, Workspace

    ws = Workspace.from_config()
    for k in itertools.count():
        model = Model.register(ws, model_path="model", model_name=f"kill-model{tag}",
                               tags={"trial": str(trial), "k": str(k)})
        acks.add(str(model.version))


def create_workspace(acks: Acks, trial: int, tag: str) -> None:
    """Create workspaces one after another until killed."""
    from azureml.core import Workspace

    for k in itertools.count():
        name = f"kill{tag}-{trial}-{k}"
        Workspace.create(name=name, subscription_id="00000000-0000-0000-0000-00000000fa11", resource_group="kill-rg",
                         location="eastus", create_resource_group=True, show_output=False)
        acks.add(name)


def deploy(acks: Acks, trial: int, tag: str) -> None:
    """Deploy the 'factor' model as one web service (no wait), then sleep until killed."""
    from azureml.core import Model, Workspace
    from azureml.core.model import InferenceConfig

    ws = Workspace.from_config()
    name = f"kill-svc{tag}-{trial}"
    Model.deploy(ws, name, [Model(ws, "factor")], InferenceConfig(entry_script="score.py", source_directory="scaler"),
                 overwrite=True)
    acks.add(name)
    time.sleep(3600)


def progress_write(acks: Acks, trial: int, _argument: str) -> None:
    """Record quiz answers and lab steps until killed."""
    from progress.record import Record

    record = Record()
    for k in itertools.count():
        record.record_answer(f"kill-{trial}-{k}", ["a"], k % 2 == 0, seconds=1.0)
        record.record_lab_step("kill-lab", f"step-{trial}-{k}", True, "probe")
        acks.add(f"{trial}-{k}")


OPERATIONS = {"run_log": run_log, "register": register, "workspace": create_workspace, "deploy": deploy,
              "progress": progress_write}
# Operations whose child only sleeps once its one record is acknowledged: a later kill finds nothing new to
# interrupt, so the server kills at once then (a deploy probe costs its deploy, not the rest of its delay).
IDLE_AFTER_ACK = {"deploy"}


_warm: list = []  # MLflow stores the server opened before forking


def _child(operation, acks: Acks, trial: int, argument: str) -> None:
    code = 1
    try:
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0), os.dup2(null, 1)
        for store in _warm:
            store.engine.dispose(close=False)  # never share a SQLite connection across a fork
        OPERATIONS[operation](acks, trial, argument)
        code = 0
    except BaseException:
        import traceback

        traceback.print_exc()  # stderr stays the server's: a child that failed instead of being killed says why
    finally:
        os._exit(code)


def _trial(operation: str, trial: int, delay_ms: float, argument: str) -> dict:
    acks = Acks()
    pid = os.fork()
    if pid == 0:
        _child(operation, acks, trial, argument)
    delay_ms = _wait_to_kill(acks, delay_ms, operation in IDLE_AFTER_ACK)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    _, status = os.waitpid(pid, 0)
    signal_number = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    return {"trial": trial, "delay_ms": round(delay_ms, 1), "signal": signal_number, "acked": acks.read()}


def _preload(operation: str) -> None:
    """Import what the children use and open the workspace's MLflow store, so a fork starts work at once."""
    import sim
    import sim.service

    sim.activate()
    import azureml.core
    import azureml.core.model  # noqa: F401

    import progress.record  # noqa: F401
    from sim.cloud.runs import metrics, tracking  # noqa: F401

    if sim.service.mode() == "process":
        sim.service.ensure_running()  # one service for all children (each would otherwise race to start it)
    elif operation in ("run_log", "register", "deploy"):
        _warm.append(tracking.store(azureml.core.Workspace.from_config()._record))


def _wait_to_kill(acks: Acks, delay_ms: float, idle_after_ack: bool) -> float:
    """Sleep until the kill is due (or the child is idle); returns the milliseconds actually waited."""
    started = time.monotonic()
    deadline = started + delay_ms / 1000
    if not idle_after_ack:
        time.sleep(delay_ms / 1000)
        return delay_ms
    while time.monotonic() < deadline and struct.unpack_from("<q", acks.memory, 0)[0] == 0:
        time.sleep(0.005)  # polls shared memory: the child has no other way to say it is done
    return (time.monotonic() - started) * 1000


def main(argv: list[str]) -> int:
    """Run the trials and print their outcomes as one JSON line."""
    operation, seed, trials, low, high = argv[0], int(argv[1]), int(argv[2]), float(argv[3]), float(argv[4])
    argument = argv[5] if len(argv) > 5 else ""
    _preload(operation)
    draw = random.Random(seed)
    outcomes = [_trial(operation, trial, draw.uniform(low, high), argument) for trial in range(trials)]
    print(json.dumps(outcomes), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
