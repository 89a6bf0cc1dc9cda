"""`news-archive check`: a built site's links, HTML and search files, and what it remembers between
runs.
"""
