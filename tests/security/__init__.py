"""Security tests (issue 12): attacks tried as a stranger would."""
