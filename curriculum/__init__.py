"""The study content as one whole: exam outlines, notes and questions checked together.

This package sits above `content` (notes) and `quizzes` (questions, blueprints): it is the only place that
knows both, so notes know nothing of questions. `dp100 content ...` lives here.
"""
