"""Conformance cases of the headers area."""
