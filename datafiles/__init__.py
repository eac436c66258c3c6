"""What every kind of study-content file shares, below both `content` (notes) and `quizzes` (questions).

YAML with line numbers (`yamlsrc`), problems reported as `file:line: message` (`problems`), pydantic errors
turned into problems (`validation`), and the freshness fields notes and questions carry (`freshness`).
Nothing here knows what a note or a question is.
"""
