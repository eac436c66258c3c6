"""Exam outlines (blueprints) and the question bank: schema, loaders, export.

Public entry points:
    quizzes.blueprint.load_blueprints() -> BlueprintSet (blueprints + problems)
    quizzes.bank.load_bank()            -> Bank (questions + problems)
Scoring, exam forms and review scheduling live in their own modules.
"""
