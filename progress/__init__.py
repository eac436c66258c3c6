"""The learner's record: notes read, quiz answers, review cards, finished exams, bookmarks, lab step results,
settings."""

from progress.record import Record

__all__ = ["Record"]
