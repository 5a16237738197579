from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from enrollment.base import IdentityService


class MailCodeService(IdentityService):
    """E-postkod: a one-time code to a private address the user added (not the
    AD mail, which a locked-out user may not reach)."""

    key = "email"
    name = _("E-postkod")
    enroll_url_name = "mailcode_enroll"
    verify_url_name = "mailcode_verify"
    caller_check_label = _("Skicka en kod med e-post")
    #: Stars when IDENTITY_SERVICES does not say: as Mobilkod, a code to
    #: something the user holds (and an inbox is often on the same phone).
    default_weight = 1

    def queue_notice(
        self, *, user_guid: str, text: str, kind: str, replaced_value: str = ""
    ) -> bool:
        from .tasks import send_mail_notice

        transaction.on_commit(
            partial(
                send_mail_notice.delay,
                user_guid,
                text,
                kind=kind,
                protected_value=replaced_value,
                language=translation.get_language() or "",
            )
        )
        return True

    def check_caller(self, check):
        from .caller import check_caller

        return check_caller(check)

    def check(self) -> list:
        from .checks import check_mailcode

        return check_mailcode()
