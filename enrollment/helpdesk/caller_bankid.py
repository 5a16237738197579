"""The caller check with Mobilt BankID: the hook for enrollment.bankid.

Available once the BankID service offers the helpdesk's check; until then the
user page lists it as coming.
"""

from __future__ import annotations


def available() -> bool:
    return False


def handle(request, *, user, render, finish):
    from django.http import Http404

    raise Http404
