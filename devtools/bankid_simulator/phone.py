"""The simulator's "phone": HTML pages a person uses instead of the BankID app,
plus the scripted JSON API under ``/sim/`` (see ``scripted.py``).

Served over plain HTTP on loopback, without a client certificate. Plain
forms, no script, no external assets; Swedish first, English alongside.
"""

from __future__ import annotations

import time
from html import escape
from typing import Any
from urllib.parse import quote

from services.bankid.pnr import format_personal_number

from .orders import COMPLETE, PENDING, Order, PhoneError
from .persons import DEFAULT_PERSONAL_NUMBER
from .scripted import ScriptedPhone
from .state import SimulatorState
from .wsgi import Request, Response, StartResponse, html_response, redirect

_KIND_TITLES = {
    "auth": ("Legitimera dig", "Identify yourself"),
    "sign": ("Skriv under", "Sign"),
    "phone/auth": ("Legitimera dig i telefonsamtalet", "Identify yourself on the call"),
    "phone/sign": ("Skriv under i telefonsamtalet", "Sign on the call"),
}
_RESULTS = {
    "complete": ("Klart! Ordern är godkänd.", "Done! The order is approved."),
    "userCancel": ("Du avbröt ordern.", "You cancelled the order."),
    "cancelled": ("Ordern avbröts av en ny order.", "A new order cancelled this one."),
    "startFailed": ("Ordern öppnades inte i tid.", "The order was not opened in time."),
    "expiredTransaction": ("Ordern har gått ut.", "The order expired."),
    "userDeclinedCall": ("Du nekade samtalet.", "You declined the call."),
}

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;
color:#1a1a1a;background:#fff;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.5rem}
.en{color:#444}button .en,.ok .en,.alert .en{color:inherit}
label{display:block;font-weight:600;margin-top:.75rem}
input{font-size:1rem;padding:.5rem;width:100%;box-sizing:border-box;border:2px solid #555}
button{font-size:1rem;padding:.6rem 1.2rem;margin:.75rem .5rem 0 0;border:2px solid #1a1a1a;
background:#fff;color:#1a1a1a;cursor:pointer}
button.primary{background:#135e2f;border-color:#135e2f;color:#fff}
button:focus,input:focus,a:focus{outline:3px solid #0b4f9c;outline-offset:2px}
.alert{border:2px solid #a4001d;padding:.75rem;color:#7a0015;background:#fff5f6}
.ok{border:2px solid #135e2f;padding:.75rem;background:#f2fbf5}
.uvd{white-space:pre-wrap;border:1px solid #777;padding:.75rem;background:#f7f7f7}
.help{font-size:.9rem;color:#444;margin:.25rem 0 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}
"""


def _bi(swedish: str, english: str) -> str:
    """Swedish text with the English after it, marked as English for screen readers."""
    return f'{escape(swedish)} <span lang="en" class="en">({escape(english)})</span>'


def _page(title_sv: str, title_en: str, body: str) -> str:
    return (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title_sv)} – BankID-simulator</title><style>{_STYLE}</style></head>"
        f'<body><header><p><a href="/">{_bi("BankID-simulator", "BankID simulator")}</a></p>'
        f"</header><main><h1>{_bi(title_sv, title_en)}</h1>{body}</main></body></html>"
    )


def _alert(error: PhoneError) -> str:
    return f'<div class="alert" role="alert">{_bi(error.swedish, error.english)}</div>'


class PhoneApp:
    """WSGI app: the phone pages and ``/sim/`` scripted API."""

    def __init__(self, state: SimulatorState) -> None:
        self.state = state
        self.scripted = ScriptedPhone(state)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        request = Request(environ)
        return self.dispatch(request)(start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/sim/"):
            return self.scripted.handle(request)
        if request.method == "POST" and not _same_origin(request):
            return html_response(403, _page("Förbjudet", "Forbidden", "<p>Cross-site.</p>"))
        if path == "/" and request.method == "GET":
            return html_response(200, self.index())
        if path == "/scan" and request.method == "POST":
            return self._opened(lambda: self.state.scan(request.form().get("qr", "")))
        if path == "/open" and request.method == "POST":
            form = request.form()
            if form.get("order_ref"):
                return self._opened(lambda: self.state.open(order_ref=form["order_ref"]))
            return self._opened(
                lambda: self.state.open(personal_number=form.get("personal_number", ""))
            )
        if path.startswith("/order/"):
            order_ref = path.removeprefix("/order/")
            if request.method == "POST":
                return self._act(order_ref, request)
            if request.method == "GET":
                try:
                    return html_response(200, self.order_page(self.state.get(order_ref)))
                except PhoneError as error:
                    return html_response(404, self.index(error))
        return html_response(404, _page("Sidan finns inte", "Page not found", ""))

    def _opened(self, open_order: Any) -> Response:
        try:
            order = open_order()
        except PhoneError as error:
            return html_response(400, self.index(error))
        return redirect(f"/order/{quote(order.order_ref)}")

    def _act(self, order_ref: str, request: Request) -> Response:
        form = request.form()
        action = form.get("action")
        try:
            if action == "approve":
                self.state.approve(
                    order_ref,
                    personal_number=form.get("personal_number") or None,
                    name=form.get("name") or None,
                    device_ip=request.remote_addr or "127.0.0.1",
                )
            elif action == "cancel":
                self.state.user_cancel(order_ref)
            elif action == "decline":
                self.state.decline_call(order_ref)
            elif action == "open":
                self.state.open(order_ref=order_ref)
            else:
                raise PhoneError("bad_request")
        except PhoneError as error:
            try:
                order = self.state.get(order_ref)
            except PhoneError:
                return html_response(404, self.index(error))
            return html_response(400, self.order_page(order, error, form))
        return redirect(f"/order/{quote(order_ref)}")

    # -- pages ------------------------------------------------------------------

    def index(self, error: PhoneError | None = None) -> str:
        pending = [o for o in self.state.orders() if o.status == PENDING]
        rows = "".join(_pending_row(o) for o in pending) or (
            f"<li>{_bi('Inga pågående ordrar.', 'No pending orders.')}</li>"
        )
        body = (
            (_alert(error) if error else "")
            + "<p>"
            + _bi(
                "En testtelefon för den lokala BankID-simulatorn. Inget riktigt BankID.",
                "A test phone for the local BankID simulator. Not real BankID.",
            )
            + "</p>"
            + f"<h2>{_bi('Läs av QR-kod', 'Scan QR code')}</h2>"
            + '<form method="post" action="/scan">'
            + f'<label for="qr">{_bi("QR-kodens innehåll", "QR code content")}</label>'
            + '<input id="qr" name="qr" required autocomplete="off" spellcheck="false" '
            + 'aria-describedby="qr-help">'
            + '<p class="help" id="qr-help">'
            + _bi("Texten börjar med bankid.", "The text starts with bankid.")
            + "</p>"
            + f'<button class="primary" type="submit">{_bi("Läs av", "Scan")}</button></form>'
            + f"<h2>{_bi('Öppna med personnummer', 'Open by personal identity number')}</h2>"
            + '<form method="post" action="/open">'
            + f'<label for="pnr">{_bi("Personnummer", "Personal identity number")}</label>'
            + '<input id="pnr" name="personal_number" required inputmode="numeric" '
            + 'autocomplete="off" aria-describedby="pnr-help">'
            + '<p class="help" id="pnr-help">ÅÅÅÅMMDD-NNNN</p>'
            + f'<button class="primary" type="submit">{_bi("Öppna", "Open")}</button></form>'
            + f"<h2>{_bi('Pågående ordrar', 'Pending orders')}</h2><ul>{rows}</ul>"
        )
        return _page("Din BankID-app", "Your BankID app", body)

    def order_page(
        self, order: Order, error: PhoneError | None = None, form: dict[str, str] | None = None
    ) -> str:
        form = form or {}
        title_sv, title_en = _KIND_TITLES.get(order.kind, _KIND_TITLES["auth"])
        details = f"<dt>{_bi('Begärt av', 'Requested by')}</dt><dd>{escape(order.rp_name)}</dd>"
        if order.personal_number:
            details += (
                f"<dt>{_bi('Endast för', 'Only for')}</dt>"
                f"<dd>{escape(format_personal_number(order.personal_number))}</dd>"
            )
        if order.call_initiator:
            caller = "Du ringde" if order.call_initiator == "user" else "De ringde dig"
            caller_en = "You called" if order.call_initiator == "user" else "They called you"
            details += f"<dt>{_bi('Samtal', 'Call')}</dt><dd>{_bi(caller, caller_en)}</dd>"
        body = (_alert(error) if error else "") + f"<dl>{details}</dl>"
        if order.user_visible_data:
            body += (
                f"<h2>{_bi('Meddelande', 'Message')}</h2>"
                f'<div class="uvd">{escape(order.user_visible_data)}</div>'
            )
        body += self._order_actions(order, form)
        return _page(title_sv, title_en, body)

    def _order_actions(self, order: Order, form: dict[str, str]) -> str:
        action = f"/order/{quote(order.order_ref)}"
        if order.status != PENDING:
            key = "complete" if order.status == COMPLETE else (order.hint_code or "")
            sv, en = _RESULTS.get(
                key, (f"Ordern misslyckades ({key}).", f"The order failed ({key}).")
            )
            css = "ok" if order.status == COMPLETE else "alert"
            return f'<div class="{css}" role="status">{_bi(sv, en)}</div>'
        if order.picked_up_at is None:
            return (
                f'<form method="post" action="{action}">'
                + f"<p>{_bi('Ordern väntar på att öppnas.', 'The order waits to be opened.')}</p>"
                + '<button class="primary" type="submit" name="action" value="open">'
                + f"{_bi('Öppna i appen', 'Open in the app')}</button></form>"
            )
        fields = ""
        if not order.personal_number:
            default = format_personal_number(DEFAULT_PERSONAL_NUMBER)
            fields += (
                '<label for="personal_number">'
                + _bi("Ditt personnummer", "Your personal identity number")
                + "</label>"
                f'<input id="personal_number" name="personal_number" inputmode="numeric" '
                f'autocomplete="off" value="{escape(form.get("personal_number", ""))}" '
                f'aria-describedby="pnr-help"><p class="help" id="pnr-help">'
                + _bi(f"Lämna tomt för {default}.", f"Leave empty for {default}.")
                + "</p>"
            )
        fields += (
            f'<label for="name">{_bi("Namn", "Name")}</label>'
            f'<input id="name" name="name" autocomplete="off" '
            f'value="{escape(form.get("name", ""))}" aria-describedby="name-help">'
            f'<p class="help" id="name-help">'
            + _bi("Lämna tomt för ett testnamn.", "Leave empty for a test name.")
            + "</p>"
        )
        decline = ""
        if order.is_phone:
            decline = (
                '<button type="submit" name="action" value="decline">'
                + _bi("Jag pratar inte med dem", "I am not on a call with them")
                + "</button>"
            )
        return (
            f'<form method="post" action="{action}">{fields}'
            + '<button class="primary" type="submit" name="action" value="approve">'
            + f"{_bi('Godkänn', 'Approve')}</button>"
            + '<button type="submit" name="action" value="cancel">'
            + f"{_bi('Avbryt', 'Cancel')}</button>{decline}</form>"
        )


def _pending_row(order: Order) -> str:
    title_sv, title_en = _KIND_TITLES.get(order.kind, _KIND_TITLES["auth"])
    age = int(max(0, time.time() - order.created_wall))
    return (
        f'<li><a href="/order/{quote(order.order_ref)}">{_bi(title_sv, title_en)}</a> – '
        f"{escape(order.rp_name)}, {age} s</li>"
    )


def _same_origin(request: Request) -> bool:
    # The forms change state: refuse posts from other sites (no CSRF token needed
    # for a loopback test tool, but a web page must not drive it).
    if request.header("Sec-Fetch-Site") in ("cross-site", "same-site"):
        return False
    origin = request.header("Origin")
    return not origin or origin == f"http://{request.header('Host')}"
