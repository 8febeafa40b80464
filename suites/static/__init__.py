"""Conformance cases of the static area."""
