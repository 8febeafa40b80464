"""The conformance cases: one package per area, cases as rows in `cases.py`, a one-loop test module."""
