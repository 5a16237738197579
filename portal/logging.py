"""Logs as JSON lines, with secrets scrubbed from the message."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

# Personnummer (10/12 digits with optional separator) and 6-digit codes never
# reach the log, even if a library logs a request body.
_SCRUB = [
    (re.compile(r"\b(?:19|20)?\d{6}[-+]?\d{4}\b"), "[pnr]"),
    (
        re.compile(
            r"(?i)(password|passwd|pwd|secret|token|code)(['\"]?\s*[:=]\s*['\"]?)[^\s,'\"&]+"
        ),
        r"\1\2[removed]",
    ),
    (re.compile(r"\+\d{7,15}\b"), "[phone]"),
]


def scrub(text: str) -> str:
    for pattern, replacement in _SCRUB:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))
