"""Benchmarks for sklearn-toynet against MLPClassifier and plain numpy loops.

Run ``python -m benchmarks`` from the repository root (``--quick`` for a
smoke run). See ``benchmarks/README.md``.
"""
