"""Security and hostile-input tests (issue 12): attacks tried as a stranger would, one
module per hole, so the next engineer finds them together."""
