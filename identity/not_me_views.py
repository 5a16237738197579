"""The "Det var inte jag" page: what happened, a confirmation, what to do next."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audit.service import record

from .holds import LinkRefused, confirm_not_me, read_notice_link
from .models import NoticeLink

REFUSALS = {
    "invalid": gettext_lazy("Länken är inte giltig. Kontrollera att du har kopierat hela länken."),
    "expired": gettext_lazy(
        "Länken har gått ut. Kontakta IT-supporten om du tror att någon annan har använt "
        "ditt konto."
    ),
    "used": gettext_lazy(
        "Länken har redan använts. Kontakta IT-supporten om du behöver mer hjälp."
    ),
}


def what_happened(link: NoticeLink) -> str:
    """The notice's own sentence, no more (no address, no account name)."""
    when = timezone.localtime(link.occurred_at)
    ctx = {"date": when.strftime("%Y-%m-%d"), "time": when.strftime("%H:%M"), "what": link.detail}
    texts = {
        "password.reset": _("Ditt lösenord återställdes %(date)s kl. %(time)s."),
        "password.unlocked": _("Ditt konto låstes upp %(date)s kl. %(time)s."),
        "password.changed": _("Ditt lösenord byttes %(date)s kl. %(time)s."),
        "enrollment.created": _("%(what)s registrerades på ditt konto %(date)s kl. %(time)s."),
        "enrollment.changed": _("%(what)s ändrades på ditt konto %(date)s kl. %(time)s."),
        "enrollment.removed": _("%(what)s togs bort från ditt konto %(date)s kl. %(time)s."),
        "password.expiry": _("Du fick en påminnelse %(date)s om att ditt lösenord snart går ut."),
    }
    text = texts.get(link.kind) or _("Du fick ett meddelande från oss %(date)s kl. %(time)s.")
    return text % ctx


@never_cache
@require_http_methods(["GET", "POST"])
def not_me(request, token: str):
    try:
        link = read_notice_link(token)
        if request.method == "POST":
            confirm_not_me(request=request, token=token)
            return render(request, "identity/not_me_done.html")
    except LinkRefused as refused:
        record(
            action="identity.not_me_refused",
            result="denied",
            request=request,
            details={"reason": refused.code, "step": request.method.lower()},
        )
        return render(
            request,
            "identity/not_me_refused.html",
            {"message": REFUSALS[refused.code], "code": refused.code},
            status=410 if refused.code != "invalid" else 404,
        )
    return render(request, "identity/not_me.html", {"what": what_happened(link)})
