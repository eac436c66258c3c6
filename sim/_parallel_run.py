"""The driver of a parallel run (SDK v1 ParallelRunStep; later SDK v2 batch deployments), on the compute.

Azure ML runs a parallel step's entry script through its own driver: it splits the input into mini-batches
(a number of files of a FileDataset, or an amount of data of a TabularDataset), starts `node_count *
process_count_per_node` worker processes that each import the entry script and call its `init()` once, hands
each mini-batch to `run(mini_batch)`, and gathers what `run` returns. With `output_action="append_row"` every
returned item becomes a line of one file in the step's output folder (`parallel_run_step.txt` by default);
with `summary_only` the results are only counted. A mini-batch whose `run` raises fails all of its items;
once more items failed than `error_threshold` allows (-1: any number), the step fails. An entry script that
cannot be loaded, or whose `init()` raises, fails the step at once: no mini-batch could be scored.

Here the workers are local processes (fork), a node's processes among them. Progress goes to the step's log
and a summary to `logs/job_progress_overview.txt` of the run's outputs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import signal
import sys
import time
import traceback
from pathlib import Path

from sim import messages

_entry = None  # the entry script's module, loaded once in each worker
_init_error = None  # why loading the entry script or its init() failed in this worker (a traceback), or None
_separator = " "  # between the values of a returned DataFrame's row


class EntryScriptInitFailed(Exception):
    """The entry script could not be loaded, or its init() raised, in a worker: it can score no mini-batch."""


def main(argv: list[str] | None = None) -> None:
    """Run the parallel step described by the command line (see `_arguments`); exit 1 when it failed."""
    args = _arguments().parse_args(argv)
    if args.model_dir:
        os.environ["AZUREML_MODEL_DIR"] = args.model_dir
    batches = _mini_batches(args)
    started = time.monotonic()
    print(f"[parallel] {sum(len(b) for b in batches)} items in {len(batches)} mini-batches of at most "
          f"{args.mini_batch_size}; {args.process_count} worker processes", flush=True)
    try:
        results = _process(args, batches, args.row_separator)
    except EntryScriptInitFailed as exc:
        message = messages.PARALLEL_INIT_FAILED.format(script=args.entry_script)
        print(f"{exc}[parallel] {message}", file=sys.stderr, flush=True)
        sys.exit(message)
    failed_items = sum(len(batches[i]) for i, (ok, _) in enumerate(results) if not ok)
    rows = [row for ok, returned in results if ok for row in returned]
    if args.output_action == "append_row":
        _append_rows(Path(args.output) / args.append_row_file_name, rows)
    _report(args, batches, results, failed_items, time.monotonic() - started)
    if args.error_threshold != -1 and failed_items > args.error_threshold:
        sys.exit(f"{failed_items} items failed, more than error_threshold={args.error_threshold}; "
                 "the first error is in this log above")


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parallel_run")
    parser.add_argument("--entry_script", required=True)
    parser.add_argument("--mini_batch_size", required=True)
    parser.add_argument("--error_threshold", type=int, default=-1)
    parser.add_argument("--output_action", default="append_row", choices=["append_row", "summary_only"])
    parser.add_argument("--append_row_file_name", default="parallel_run_step.txt")
    parser.add_argument("--process_count", type=int, default=1)
    parser.add_argument("--output", required=True)
    parser.add_argument("--input_folder", action="append", default=[])
    parser.add_argument("--input_tabular", action="append", default=[])
    parser.add_argument("--row_separator", default=" ")  # SDK v2 batch deployments write CSV rows
    parser.add_argument("--model_dir")  # a batch deployment's model, as AZUREML_MODEL_DIR gives it
    return parser


def _mini_batches(args) -> list[list]:
    """Files of the input folders, so many to a mini-batch; or rows of tabular inputs, about so many bytes."""
    if args.input_tabular:
        return _row_batches(args)
    files = sorted(str(p) for folder in args.input_folder for p in Path(folder).rglob("*") if p.is_file())
    size = int(args.mini_batch_size)
    return [files[i:i + size] for i in range(0, len(files), size)]


def _row_batches(args) -> list:
    import pandas as pd

    from sim.azureml.core.run import Run

    run = Run.get_context()
    frame = pd.concat([run.input_datasets[name].to_pandas_dataframe() for name in args.input_tabular])
    row_bytes = max(1, int(frame.memory_usage(deep=True).sum() / max(1, len(frame))))
    rows = max(1, _bytes(args.mini_batch_size) // row_bytes)
    return [frame.iloc[i:i + rows] for i in range(0, len(frame), rows)]


def _bytes(size: str) -> int:
    """'1MB', '500KB', '1024' as a number of bytes."""
    text = str(size).strip().upper()
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if text.endswith(unit):
            return int(float(text[:-2]) * factor)
    return int(text)


def _process(args, batches: list, separator: str) -> list[tuple[bool, list]]:
    """(succeeded, returned rows) for each mini-batch, in order, from the worker processes."""
    context = multiprocessing.get_context("fork")
    with context.Pool(max(1, args.process_count), initializer=_init_worker,
                      initargs=(args.entry_script, separator)) as pool:
        results = []
        for index, outcome in enumerate(pool.imap(_run_batch, batches)):
            results.append(outcome)
            mark = "done" if outcome[0] else f"FAILED: {outcome[1][0]}"
            print(f"[parallel] mini-batch {index + 1}/{len(batches)} {mark}", flush=True)
        pool.close()  # let the workers end on their own rather than be terminated
        pool.join()
        return results


def _init_worker(entry_script: str, separator: str) -> None:
    """Load the entry script and call its init(), once per worker. A failure is kept, not raised: a pool replaces
    a worker whose initializer raises and runs the initializer again, for ever, so the step would never end."""
    global _entry, _init_error, _separator
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the job's own handler is for the driver, not its workers
    _separator = separator
    try:
        spec = importlib.util.spec_from_file_location("entry_script", os.path.abspath(entry_script))
        _entry = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_entry)
        if hasattr(_entry, "init"):
            _entry.init()
    except (Exception, SystemExit):  # the learner's script failed to start (or exited): the driver fails the step
        _init_error = traceback.format_exc()


def _run_batch(mini_batch) -> tuple[bool, list]:
    if _init_error is not None:  # reaches the driver through the pool, which then stops every worker
        raise EntryScriptInitFailed(_init_error)
    try:
        returned = _entry.run(mini_batch)
    except (Exception, SystemExit):  # noqa: BLE001 - the learner's run() failed: this mini-batch's items failed
        return False, [traceback.format_exc(limit=3).strip().splitlines()[-1]]
    return True, _rows(returned)


def _rows(returned) -> list[str]:
    """What run() returned, as output lines: list items as text; a DataFrame's rows space-separated."""
    if hasattr(returned, "itertuples"):
        return [_separator.join(str(v) for v in row) for row in returned.itertuples(index=False)]
    return [str(item) for item in (returned or [])]


def _append_rows(path: Path, rows: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        handle.writelines(f"{row}\n" for row in rows)


def _report(args, batches, results, failed_items: int, seconds: float) -> None:
    summary = {"mini_batches": len(batches), "failed_mini_batches": sum(1 for ok, _ in results if not ok),
               "items": sum(len(b) for b in batches), "failed_items": failed_items,
               "error_threshold": args.error_threshold, "seconds": round(seconds, 2)}
    print(f"[parallel] summary: {json.dumps(summary)}", flush=True)
    Path("logs").mkdir(exist_ok=True)
    Path("logs", "job_progress_overview.txt").write_text(json.dumps(summary, indent=1))


def mlflow_init() -> None:
    """The scorer Azure ML gives an MLflow model deployed with no scoring script: load the model (the same
    loading, and the same casting of inputs to the model's signature, as a no-code online deployment)."""
    from sim import _mlflow_scoring

    _mlflow_scoring.init()


def mlflow_run(mini_batch):
    """Score each file of the mini-batch: one row per input row (row number, prediction, file name)."""
    import pandas as pd

    from sim import _mlflow_scoring

    frames = []
    for path in mini_batch:
        data = pd.read_csv(path)
        predictions = _mlflow_scoring.model(_mlflow_scoring._cast(data), None)
        frames.append(pd.DataFrame({"row": range(len(data)), "prediction": list(predictions),
                                    "file": os.path.basename(path)}))
    return pd.concat(frames) if frames else pd.DataFrame()


if __name__ == "__main__":
    main()
