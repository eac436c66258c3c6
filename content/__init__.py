"""Study notes: markdown with front matter, section anchors, a loader that survives bad files, and search.

Public entry points:
    content.notes.load_notes()       -> NoteLibrary (notes per language + problems)
    content.search.SearchIndex       -> ranked full-text search returning the matching section
    content.check.check_all()        -> every problem in notes, blueprints and the question bank
"""
