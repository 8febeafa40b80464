"""Exit codes of every harness command: 0 as expected, 1 some case unexpected, 2 could not be done."""

EXIT_OK, EXIT_UNEXPECTED, EXIT_CANNOT_RUN = 0, 1, 2
