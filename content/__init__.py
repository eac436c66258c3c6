"""Study notes: markdown with front matter, section anchors, a loader that survives bad files, and search.

Public entry points:
    content.check.load_all()          -> ContentSet: blueprints, notes, bank and every problem, cross-checked
    content.notes.load_notes()        -> NoteLibrary (notes per language + problems)
    content.search.SearchIndex(notes) -> .search(query, lang, limit): ranked hits naming note and section
    content.links.resolve_link()      -> where a `[text](note-id#anchor)` link in a note leads
    content.check.check_all()         -> every problem, as `Problem(file, line, message)`
Command line: `dp100 content check | stats | schema` (content/cli.py).
"""
