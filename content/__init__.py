"""Study notes: markdown with front matter, section anchors, a loader that survives bad files, and search.

Notes know nothing of questions or exam outlines: skill ids in front matter are plain strings here, and
`curriculum` (the package above both `content` and `quizzes`) checks them against the blueprints.

Public entry points:
    content.notes.load_notes()        -> NoteLibrary (notes per language + problems)
    content.search.SearchIndex(notes) -> .search(query, lang, limit): ranked hits naming note and section
    content.links.resolve_link()      -> where a `[text](note-id#anchor)` link in a note leads
Whole-content loading and checks: `curriculum.check.load_all()`; command line: `dp100 content ...`
(curriculum/cli.py).
"""
