"""Errors raised by the monitoring core: each names the field or position and the reason."""

from __future__ import annotations


class MonitorInputError(ValueError):
    """Bad input to a monitoring function.

    ``field`` names the argument, column or position; ``zh`` and ``en`` give the reason.
    The string form is Chinese first, then English, as user-facing messages are.
    """

    def __init__(self, field: str, zh: str, en: str):
        self.field, self.zh, self.en = field, zh, en
        super().__init__(f"{field}：{zh} / {field}: {en}")
