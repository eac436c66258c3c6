"""A `sim.cloud` module as a client face calls it: straight to the module, or through the simulated Azure service.

A face (the SDK v1 facade, the simulated `az` CLI) names each `sim.cloud` module it uses once, at its import line:

    _cloud = routed(sim.cloud.keyvault)          # then _cloud.set_secret(record, name, value, ...)

A function of that module then runs where `sim.service.mode()` says: in "inprocess" mode it is the module's own
function (today's behaviour: one attribute lookup more); in "process" mode the call goes to the service process
(`sim.service.call`), which alone writes cloud state; a `CloudError` it raises there is raised again here, the same
class. A face may wrap every call in its own error mapping (`errors`: the v1 face turns a `CloudError` into the
SDK's exception). Constants, record types, classes and error classes always come from the real module: importing
it is read-only.

A few functions cannot travel as they are, and are adapted here (`_ADAPTED`): a wait that calls back between polls
runs as a series of short waits with the callback called here between them; progress lines a function gives a
callback are collected by the service and given to the callback when the call returns; a DataFrame comes back
pickled (from the service only); a generator of pages becomes a
generator here that asks the service for one page at a time; the job host's warm-up is the service's own. A stream
argument travels as its bytes; a file in this process's private /tmp (which the service cannot see) is refused with
a sentence. A function the service does not offer, or one given a callback, is refused with a sentence naming it
(`NotRouted`), never run against this process's own files.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import time

POLL_SLICE_SECONDS = 1.0  # one short wait on the service between two callbacks

# function -> (its callback parameter, its timeout parameter, "done" test of the value it returns, how the
# callback is called with that value)
_POLLED_WAITS = {
    "sim.cloud.runs.jobs.wait": ("on_tick", "timeout", lambda status: _run_status_final(status),
                                 lambda callback, _status: callback()),
    "sim.cloud.compute.wait_until_provisioned": ("on_poll", "timeout_seconds",
                                                 lambda found: found.provisioning_state != "Creating",
                                                 lambda callback, found: callback(found)),
    "sim.cloud.compute.wait_until_settled": ("on_poll", "timeout_seconds", lambda found: _compute_settled(found),
                                             lambda callback, found: callback(found)),
}


# Functions that touch no state (checks and conversions of arguments): they run in the caller in both modes.
RUN_HERE = frozenset({
    "sim.cloud.runs.metrics.check_name", "sim.cloud.runs.metrics.is_number", "sim.cloud.runs.metrics.plain",
    "sim.cloud.workspaces.validate_workspace_name", "sim.cloud.workspaces.validate_subscription_id",
    "sim.cloud.workspaces.validate_resource_group_name", "sim.cloud.workspaces.validate_location",
    "sim.cloud.experiments.validate_name",
    "sim.cloud.automl.settings.check",  # AutoMLConfig's settings, checked when it is made
    "sim.cloud.runs.metrics.flush_all",  # this process's journals: each one's flush is itself routed
    "sim.cloud.datadrift.monitors.check_settings", "sim.cloud.datadrift.engine.periods",
    "sim.cloud.runs.assessments.document", "sim.cloud.datadrift.results.outputs",
})


class NotRouted(NotImplementedError):
    """An SDK v1 feature whose `sim.cloud` function the service does not offer (process mode)."""


def _run_status_final(status: str) -> bool:
    from sim.cloud.runs import state

    return status in state.TERMINAL


def _compute_settled(found) -> bool:
    from sim.cloud.compute import TRANSITIONAL_STATES

    return found.state not in TRANSITIONAL_STATES


def in_process() -> bool:
    """True when `sim.cloud` answers in this process ("inprocess" mode)."""
    from sim.service.locations import mode

    return mode() == "inprocess"


def through_service(module: str, function: str, *args, **kwargs):
    """Call `module.function` in the service process.

    Raises:
        CloudError: what the service raised (its own subclass).
        NotRouted: when the service does not offer this function.
    """
    from sim import messages, service
    from sim.service.calls import CallRefused, PathRefused

    try:
        return service.call(module, function, *args, **kwargs)
    except CallRefused as exc:
        if exc.status == 403 and not isinstance(exc, PathRefused):
            raise NotRouted(messages.SIM_SERVICE_NOT_ROUTED.format(target=f"{module}.{function}")) from None
        raise


def _polled_wait(target: str, signature: inspect.Signature, args, kwargs):
    """A wait with a callback, as short waits on the service with the callback called here between them."""
    callback_name, timeout_name, done, call_back = _POLLED_WAITS[target]
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    callback = bound.arguments.pop(callback_name, None)
    timeout = bound.arguments.get(timeout_name)
    deadline = None if timeout is None else time.monotonic() + float(timeout)
    module, _, function = target.rpartition(".")
    while True:
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        bound.arguments[timeout_name] = POLL_SLICE_SECONDS if left is None else min(POLL_SLICE_SECONDS, left)
        value = through_service(module, function, **bound.arguments)
        if done(value) or (left is not None and left <= POLL_SLICE_SECONDS):
            return value
        if callback is not None:
            call_back(callback, value)


def _run_pages(signature: inspect.Signature, args, kwargs):
    """`lifecycle.run_pages` through the service: the first page now (its errors are this call's), the rest lazily."""
    from sim.cloud.runs import listing

    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    first = through_service("sim.cloud.runs.lifecycle", "run_page", **arguments)

    def pages():
        rows = first
        while True:
            if rows:
                yield rows
            if len(rows) < arguments["size"]:
                return
            rows = through_service("sim.cloud.runs.lifecycle", "run_page", **arguments, after=listing.key(rows[-1]))

    return pages()


def _service_wait(signature, args, kwargs):
    """`services.wait` through the service: short waits there, `on_change` called here with each new state (the
    last one too), and no deadline for a timeout of None or 0, as in process."""
    from sim.cloud.services._table import TERMINAL_STATES

    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    on_change = bound.arguments.pop("on_change", None)
    timeout, start, last = bound.arguments.get("timeout"), time.monotonic(), None
    while True:
        left = timeout - (time.monotonic() - start) if timeout else None
        bound.arguments["timeout"] = POLL_SLICE_SECONDS if left is None else max(0.01, min(POLL_SLICE_SECONDS, left))
        found = through_service("sim.cloud.services", "wait", **bound.arguments)
        if on_change is not None and found.state != last:
            on_change(found.state)
        last = found.state
        if found.state in TERMINAL_STATES or (left is not None and left <= POLL_SLICE_SECONDS):
            return found


def _warm_up_jobs(signature, args, kwargs) -> None:
    import threading

    from sim import service

    threading.Thread(target=service.warm_up_jobs, name="dp100-service-warm-up", daemon=True).start()


def _with_log(parameter: str):
    """An adapter for a function that reports progress through `parameter`: the service collects the lines, and
    they are given to the caller's callback here once the call returns."""

    def adapted(signature, args, kwargs, target):
        from sim import messages, service
        from sim.service.calls import CallRefused, PathRefused

        bound = signature.bind(*args, **kwargs)
        callback = bound.arguments.pop(parameter, None)
        module, _, function = target.rpartition(".")
        arguments = {key: _travelling(target, value) for key, value in bound.arguments.items()}
        try:
            value, lines = service.call_with_log(module, function, parameter, **arguments)
        except CallRefused as exc:
            if exc.status == 403 and not isinstance(exc, PathRefused):
                raise NotRouted(messages.SIM_SERVICE_NOT_ROUTED.format(target=target)) from None
            raise
        for line in lines if callback is not None else ():
            callback(line)
        return value

    return adapted


def _frame(signature, args, kwargs):
    """`data_engine.frame_of` through the service: the frame travels as pickled bytes, from the service to here.

    Pickle only in this direction: the service must never unpickle what a caller sends (see `codec`), but what it
    sends is a DataFrame it built itself from data files, and pickle keeps every dtype exactly as the in-process
    read gives it (Parquet would change or refuse some, such as mixed-type object columns).
    """
    import pickle

    data = through_service("sim.cloud.data_engine", "frame_pickle", *args, **kwargs)
    return pickle.loads(data)  # noqa: S301 - bytes the service made (see above)


_ADAPTED = {
    **{name: lambda signature, args, kwargs, name=name: _polled_wait(name, signature, args, kwargs)
       for name in _POLLED_WAITS},
    "sim.cloud.runs.lifecycle.run_pages": _run_pages,
    "sim.cloud.runs.jobs.warm_up": _warm_up_jobs,
    "sim.cloud.data_engine.frame_of": _frame,
    "sim.cloud.services.wait": _service_wait,
}
_LOGGED = {"sim.cloud.datastores.upload": _with_log("log"), "sim.cloud.datastores.download": _with_log("log")}


def _travelling(target: str, value):
    """An argument as it can travel: a stream as its bytes; a callback or a private /tmp path refused."""
    from sim import messages

    if hasattr(value, "read"):
        data = value.read()
        return data.encode() if isinstance(data, str) else data
    if callable(value):
        raise NotRouted(messages.SIM_SERVICE_NOT_ROUTED.format(target=f"{target} with a callback"))
    if isinstance(value, os.PathLike | str) and _in_private_tmp(value):
        raise NotRouted(messages.SIM_SERVICE_NOT_A_FILE_HERE.format(path=os.fspath(value)))
    return value


def _in_private_tmp(value) -> bool:
    """True for an existing path in a sandboxed process's own /tmp: under /tmp but outside DP100_HOME (the home,
    with the lab folder in it, is the same folder for the service; the rest of /tmp is the sandbox's own)."""
    from sim.service import locations

    if not locations.given_socket():
        return False
    text = os.fspath(value)
    if not (isinstance(text, str) and text.startswith("/tmp/") and len(text) < 4096 and os.path.exists(text)):
        return False
    home = os.path.realpath(os.environ.get("DP100_HOME", "") or "/nonexistent")
    return os.path.commonpath([os.path.realpath(text), home]) != home


class RoutedModule:
    """A `sim.cloud` module as a face calls it (see the module docstring)."""

    def __init__(self, module, errors=contextlib.nullcontext):
        self._module = module
        self._errors = errors

    def __getattr__(self, name):
        value = getattr(self._module, name)
        if not inspect.isfunction(value):  # constants, record classes, submodules: as they are
            return value
        target = f"{self._module.__name__}.{name}"

        @functools.wraps(value)
        def call(*args, **kwargs):
            with self._errors():
                if target in RUN_HERE or in_process():
                    return value(*args, **kwargs)
                if target in _ADAPTED:
                    return _ADAPTED[target](inspect.signature(value), args, kwargs)
                if target in _LOGGED:
                    return _LOGGED[target](inspect.signature(value), args, kwargs, target)
                args = [_travelling(target, item) for item in args]
                kwargs = {key: _travelling(target, item) for key, item in kwargs.items()}
                return through_service(self._module.__name__, name, *args, **kwargs)

        return call

    def __repr__(self) -> str:
        return f"<routed view of {self._module.__name__}>"


def routed(module, errors=contextlib.nullcontext) -> RoutedModule:
    """`module` (a `sim.cloud` module) called in this process or through the service, as the mode says.

    Args:
        module: the `sim.cloud` module.
        errors: a context manager factory every call runs in (a face's error mapping); none by default.
    """
    return RoutedModule(module, errors)
