"""Sizes set in the environment (DP100_*_MB): read in one way, and refused with a sentence when not a number."""

from __future__ import annotations

import os


def megabytes(name: str, default: int, env=None, *, minimum: int = 0, zero_means: str | None = None) -> int:
    """The whole number of megabytes the variable `name` holds (`default` when unset), raised to `minimum`.

    Args:
        zero_means: what 0 turns off ("no quota"), said in the refusal; None when 0 is not special.

    Raises:
        ValueError: the value is not a whole number.
    """
    raw = (os.environ if env is None else env).get(name, "").strip()
    if not raw:
        return default
    try:
        return max(int(raw), minimum)
    except ValueError:
        hint = f" (0 for {zero_means})" if zero_means else ""
        raise ValueError(f"{name} must be a whole number of megabytes{hint}, not {raw!r}.") from None
