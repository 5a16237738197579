"""Append-only audit trail. Record events with ``audit.service.record``."""
