"""Conformance cases of the middleware area."""
