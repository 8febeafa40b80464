"""Conformance cases of the cookies area."""
