"""The conformance harness: targets, cases, recording, results and reports for the fixture app."""

__version__ = "0.1.0"
