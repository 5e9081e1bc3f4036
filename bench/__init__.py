"""Benchmarks (`make bench`): each ``*_bench.py`` prints a Markdown section and writes bench/out/.

A package so that the scripts import each other as ``bench.common`` when run with
``python -m bench.NAME`` from the repository, without editing ``sys.path``.
"""
