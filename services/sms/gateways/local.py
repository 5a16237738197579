"""Backends that deliver nothing to a phone: the console (demo) and an outbox (tests)."""

from __future__ import annotations

import secrets
import sys
import threading
from dataclasses import dataclass
from typing import TextIO

from .. import conf
from .base import SmsBackend


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    sender: str
    provider_id: str


#: The messages the LocmemBackend "sent", like ``django.core.mail.outbox``.
outbox: list[SmsMessage] = []


class ConsoleBackend(SmsBackend):
    """Writes each message to standard output, where the demo's operator reads it."""

    development_only = True
    _lock = threading.Lock()

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, *, to: str, text: str) -> str:
        provider_id = f"console-{secrets.token_hex(6)}"
        stream = self.stream or sys.stdout
        with self._lock:
            stream.write(f"--- SMS {provider_id} from {conf.sender()} to {to}\n{text}\n---\n")
            stream.flush()
        return provider_id


class LocmemBackend(SmsBackend):
    """Keeps each message in ``outbox`` (tests read the code from there)."""

    development_only = True
    outbox = outbox

    def send(self, *, to: str, text: str) -> str:
        provider_id = f"locmem-{len(self.outbox) + 1}"
        self.outbox.append(
            SmsMessage(to=to, text=text, sender=conf.sender(), provider_id=provider_id)
        )
        return provider_id
