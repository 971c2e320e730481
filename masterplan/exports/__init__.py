"""Exports of a master plan: the PDF book, the editable DOCX and the XLSX workbook.

`content.book_content` gathers everything a book shows (one pass of queries, pure after that);
`pdf`, `docx` and `xlsx` lay it out; `figures` turns the pure Plotly figures into SVG or PNG
through kaleido; `services` runs them as `ExportJob`s (see docs/exports.md).
"""
