"""The one error a plan or score file that cannot be read raises, with a Vietnamese
message saying why (the reader, the limits and the import all raise it)."""

from __future__ import annotations


class PlanFileError(Exception):
    """A plan file that cannot be read; ``message`` explains why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
