"""Stage 5, search: the lunr index written as sharded search files, the traditional-character map
and the pinyin offers the browser loads.
"""
