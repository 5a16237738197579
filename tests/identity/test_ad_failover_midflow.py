"""A domain controller that stops in the middle of a visit: the portal goes on
with the next URL in LDAP_URLS. The "first DC" is a TCP relay in front of the
Samba DC, so stopping it closes every connection the portal had through it."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from identity.directory import get_directory

pytestmark = [pytest.mark.samba, pytest.mark.django_db]

PASSWORD = "Mitt-Flode-Dc-42"


class Relay:
    """Forwards 127.0.0.1:<port> to the DC's LDAPS port until stopped."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target, timeout=5)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        """The DC goes away: no new connections, and every open one is cut."""
        self.running = False
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass


def test_a_dc_that_stops_mid_visit_is_survived_through_the_next_url(
    client, settings, ad_directory, samba_dc
):
    name = samba_dc.unique("mid")
    samba_dc.create_user(name, PASSWORD)
    dc = urlsplit(samba_dc.url)
    relay = Relay((dc.hostname, dc.port or 636))
    settings.LDAP_URLS = [f"ldaps://127.0.0.1:{relay.port}", samba_dc.url]
    settings.LDAP_TIMEOUT = 2
    try:
        first = client.post(reverse("login"), {"username": name, "password": PASSWORD})
        assert first.status_code == 302
        assert len(relay.sockets) >= 2  # the portal did talk through the first DC
        relay.stop()
        # The same visit goes on: the pooled service connection and the next
        # bind both find the first DC gone and use the second.
        assert get_directory().find_user(name).username == name
        again = client.post(reverse("login"), {"username": name, "password": PASSWORD})
        assert again.status_code == 302
    finally:
        relay.stop()
    results = list(AuditEvent.objects.filter(action="login").values_list("result", flat=True))
    assert results == ["success", "success"]
