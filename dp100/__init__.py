"""The DP-100 study and lab platform: shared version and paths."""

__version__ = "0.1.0"
