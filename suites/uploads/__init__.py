"""Conformance cases of the uploads area."""
