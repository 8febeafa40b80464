"""Conformance cases of the background area."""
