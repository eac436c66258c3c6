"""Jobs: the ARM API (`ml_client.jobs`, `ml_client.create_or_update(command(...))`) and the run history data
plane that `jobs.stream` and `jobs.download` read (`sim.rest.jobs._history`)."""

from __future__ import annotations

from sim.rest.jobs import _arm, _history, _outputs

ROUTES = [*_arm.ROUTES, *_history.ROUTES, *_outputs.ROUTES]
