"""Simulated `azureml.telemetry` (SDK v1): the diagnostics switch that many Microsoft notebooks flip first.

The real package records the choice in a user config file and, when on, sends usage telemetry to Microsoft.
This offline workspace never sends anything: the switch is only echoed back, as the real one prints it.
"""

from __future__ import annotations

_state = {"send_diagnostics": False}


def set_diagnostics_collection(send_diagnostics=True, verbose=False, reset=False, path=None):
    """Turn diagnostics collection on or off (simulated: remembered for this process, nothing is ever sent).

    Args:
        send_diagnostics: True to opt in, False to opt out.
        verbose: the real SDK then also prints where the setting is stored; here nothing is stored.
        reset: forget an earlier choice (back to off).
        path: the real SDK's config folder; ignored, nothing is written.
    """
    if reset:
        _state["send_diagnostics"] = False
        return
    _state["send_diagnostics"] = bool(send_diagnostics)
    print(f"Turning diagnostics collection {'on' if send_diagnostics else 'off'}. ")
    if verbose:
        print("(Simulated workspace: the setting is kept for this session only and no telemetry is sent.)")


def get_diagnostics_collection_info(component_name=None, path=None):
    """The current diagnostics choice, as `{"send_diagnostics": bool}`."""
    return dict(_state)


__all__ = ["get_diagnostics_collection_info", "set_diagnostics_collection"]
