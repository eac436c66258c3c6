"""The study content as one whole: exam outlines, notes and questions checked together.

This package sits above `content` (notes) and `quizzes` (questions, blueprints), which both stand on
`datafiles` (YAML with line numbers, problems, validation, freshness fields). It is the only place that knows
both notes and questions, so notes know nothing of questions.

Public entry points:
    curriculum.check.load_all()    -> ContentSet: blueprints, notes, bank and every problem, cross-checked
    curriculum.check.check_all()   -> every problem, as `Problem(file, line, message)`
    curriculum.freshness           -> what passed its valid_until, what was not verified since a month
    curriculum.glossary            -> English terms and avoided forms in pt-BR text
    curriculum.ptbr_texts          -> the pt-BR texts of outlines, labs (specs, check messages) and UI
    curriculum.jsonschema          -> JSON Schemas of the content files, for editors
Command line: `dp100 content check | stats | schema` (curriculum/cli.py).
"""
