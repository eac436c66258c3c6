"""Signature parity checks shared by the simulator's parity tests (the rule of signature_parity.py).

They read the in-repo trimmed reference (`sim/_reference/`, made from the real azureml-core 1.61 surface by
`sim.coverage.refresh_reference`), so they run on any clone.
"""

from __future__ import annotations

from sim import coverage


def method_misses(classes: list[str], *, lab_only: bool, skip: dict[str, set[str]] | None = None,
                  public_only: bool = True) -> tuple[list[str], int]:
    """(misses, members checked) for the methods of `classes` whose signature differs from the real one."""
    reference = coverage.load_reference()["classes"]
    misses, total = [], 0
    for cname in classes:
        cls = coverage.resolve(cname)
        for method, entry in sorted(reference[cname]["methods"].items()):
            if lab_only and not entry["used_in_labs"]:
                continue
            if method in (skip or {}).get(cname, ()) or method in ("__repr__", "__str__"):
                continue
            if public_only and method.startswith("_") and method != "__init__":
                continue
            total += 1
            fn = getattr(cls, method, None)
            if fn is None or not coverage.signature_matches(fn, entry):
                mine = coverage.facade_params(fn) if fn is not None else "missing"
                misses.append(f"{cname}.{method}: {mine} != {coverage.reference_params(entry)}")
    return misses, total


def lab_used_attributes_missing(classes: list[str], instances: dict | None = None) -> list[str]:
    """Lab-used properties and instance attributes that the facade class (or a sample instance) lacks."""
    reference = coverage.load_reference()["classes"]
    missing = []
    for cname in classes:
        holder = (instances or {}).get(cname, coverage.resolve(cname))
        entry = reference[cname]
        for name, used in {**entry["properties"], **entry.get("attributes", {})}.items():
            if used and not hasattr(holder, name):
                missing.append(f"{cname}.{name}")
    return missing
