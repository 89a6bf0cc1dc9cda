"""Stage 3, analysis: each article's words (jieba's cut with the site's vocabulary), keywords and
sketch, kept per article in the build cache; `classify` assigns counties and topics.
"""
