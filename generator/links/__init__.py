"""Stage 4, links: related articles, later coverage and the same story across papers.
"""
