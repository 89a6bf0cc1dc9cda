"""Stage 2, content: article files are loaded and checked, and become the site's model (issues,
papers, counties, topics) with every page's URL.
"""
