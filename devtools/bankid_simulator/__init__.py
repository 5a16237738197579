"""A local BankID: the RP API v6.0 over mutual TLS, and a "phone" to play the user.

Run it with ``python manage.py bankid_simulator`` (see docs/bankid-simulator.md),
or in a test with :class:`BankIDSimulator`. The portal talks to it with the same
``BankIDClient`` it uses for the real BankID; only ``BANKID_URL``,
``BANKID_CA``, ``BANKID_CERT`` and ``BANKID_KEY`` change.

What is faithful: the URL paths, POST-only (405), exactly ``application/json``
(415, also with a charset), JSON bodies and errors (``errorCode``/``details``
with the reference's HTTP statuses), required and checked fields (400
invalidParameters), ``personalNumber`` inside ``requirement``,
``alreadyInProgress`` that also ends the running order with ``cancelled``, the
pending/failed/complete state machine with its hint codes (startFailed,
expiredTransaction, userCancel, cancelled, userDeclinedCall, ...), collect
after a final state for a limited time then invalidParameters, cancel twice
invalidParameters, completion data with the real field names, and the
animated QR code checked with the real HMAC and the elapsed time. The client
must present a certificate issued by the simulator's CA, or the TLS
handshake fails.

Known differences from the real BankID:

- Signature and OCSP response are placeholders (base64, not XML-DSig/OCSP);
  ``uhi`` and ``bankIdIssueDate`` are made up (stable per personal number).
- No real app: the phone page or the ``/sim/`` API opens and approves orders.
  Opening by personal number or from the pending-orders list stands in for a
  user whose own phone gets the order; the real service needs the QR code or
  autostart. An order opened by autostart goes straight to ``userSign``
  (``started`` is only shown when set through ``/sim/hint``).
- Timeouts (30 s start, 180 s total) follow vendor documentation; the real
  ones may differ slightly. Retention after a final state is a window by
  default; ``collect_once`` gives the strict reading (a second collect after
  the final state is invalidParameters).
- After ``/cancel`` the order is gone (collect gives invalidParameters).
- ``strict_fields`` (on by default) refuses unknown fields, e.g. a v5-style
  top-level ``personalNumber``; the real service's strictness is unverified.
  Both ``web`` and ``app`` in one request are refused (unverified).
- The RP name shown is the client certificate's organization (or CN).
- ``tooManyRequests`` only happens when injected; there is no real rate limit.
- Everything is in memory in one process; a restart forgets all orders.
"""

from __future__ import annotations

from .certs import SimulatorCerts, ensure_certificates
from .config import SimulatorConfig
from .harness import BankIDSimulator, SimulatorRequestError
from .persons import TEST_PERSONS
from .state import SimulatorState

__all__ = [
    "TEST_PERSONS",
    "BankIDSimulator",
    "SimulatorCerts",
    "SimulatorConfig",
    "SimulatorRequestError",
    "SimulatorState",
    "ensure_certificates",
]
