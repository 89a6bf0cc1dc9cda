"""The build's plumbing, shared by every stage: the build cache, the site's output and its manifest,
atomic file writes, forked workers, the build lock and the memory heap.
"""
