"""Conformance cases of the responses area."""
