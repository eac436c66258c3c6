"""Guided labs: lab specs as data, Jupyter-kernel lab sessions, and per-step auto-grading.

Public entry points (what the Labs page and the CLI call) live in `labs.api`.
"""
