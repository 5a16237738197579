"""``python -m bench`` (``make bench``): the portal's hot paths, measured as
ratios against what a user would compare them with, in the same run.

See ``bench/__main__.py`` for the sections and README.md ("Benchmarks") for
the latest table.
"""
