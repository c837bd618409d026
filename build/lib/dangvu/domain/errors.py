"""The one error type rules raise: a Vietnamese message, the field it concerns, the rule's source."""

from __future__ import annotations


class RuleError(ValueError):
    def __init__(self, message: str, *, field: str = "", source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.source = source

    def __str__(self) -> str:
        return f"{self.message} ({self.source})" if self.source else self.message
