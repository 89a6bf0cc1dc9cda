"""Stage 6, render: the site's pages through the theme's jinja2 templates, feeds and the sitemap.
"""
