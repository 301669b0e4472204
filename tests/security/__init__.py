"""Security and hostile-input tests (issue 12): one module per hole, so the next
engineer finds them together."""
