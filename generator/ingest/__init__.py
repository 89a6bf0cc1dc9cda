"""Stage 1, ingest: raw OCR pages (one file per printed page) become article files in `content/`.

`pipeline` runs it; `read` decodes a page, `layout` splits it into blocks, `headlines` scores them,
`assemble` makes articles, `people` reads bylines and datelines, `clean` fixes the text.
"""
