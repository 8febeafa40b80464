"""Conformance cases of the websockets area."""
