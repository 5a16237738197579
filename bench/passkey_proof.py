"""The server time of one passkey proof: ``python -m bench.passkey_proof [N]``.

Times, N times each (median and 90th percentile, in milliseconds):

* ``verify``: the WebAuthn library's check of one assertion (signature,
  challenge, origin, RP ID, flags) - the cryptography alone;
* ``proof``: ``services.passkey.verify.prove_with_passkey``, the whole proof as
  the verify view runs it: the single-use challenge taken, the key looked up,
  the account's lockout slot taken and given back (identity.protection), the
  sign count stored, the flow marked and the audit row written.

A software authenticator (an ES256 key made here, the same bytes a browser
sends) answers a fresh challenge each time. It runs on a SQLite database in a
temporary folder unless DATABASE_URL is set. Not part of ``make bench``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import statistics
import sys
import tempfile
import time


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class SoftwareAuthenticator:
    """An ES256 key answering ``navigator.credentials.get`` like a browser."""

    def __init__(self, rp_id: str, origin: str) -> None:
        import cbor2
        from cryptography.hazmat.primitives.asymmetric import ec

        self.rp_id, self.origin = rp_id, origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        numbers = self.key.public_key().public_numbers()
        self.cose = cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )
        self.credential_id = secrets.token_bytes(32)
        self.user_handle = secrets.token_bytes(32)
        self.count = 0

    def answer(self, challenge: str) -> str:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec

        self.count += 1
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest()
            + bytes([0x05])  # user present, user verified
            + self.count.to_bytes(4, "big")
        )
        client_data = json.dumps(
            {"type": "webauthn.get", "challenge": challenge, "origin": self.origin}
        ).encode()
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return json.dumps(
            {
                "id": _b64(self.credential_id),
                "rawId": _b64(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": _b64(client_data),
                    "authenticatorData": _b64(auth_data),
                    "signature": _b64(signature),
                    "userHandle": _b64(self.user_handle),
                },
            }
        )


def _setup() -> None:
    os.environ.setdefault("PORTAL_DATA_DIR", tempfile.mkdtemp(prefix="bench-passkey-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return f"median {statistics.median(ordered) * 1000:.2f} ms, p90 {p90 * 1000:.2f} ms"


def main(n: int = 300) -> dict:
    _setup()
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory
    from webauthn import verify_authentication_response

    from enrollment import proofs
    from enrollment.services import save_enrollment
    from services.passkey import conf
    from services.passkey.ceremony import new_challenge
    from services.passkey.models import PasskeyCredential
    from services.passkey.verify import prove_with_passkey

    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = ["http://localhost:8000"]
    settings.RESET_MAX_FAILED_PROOFS = 10**6
    guid = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    device = SoftwareAuthenticator(conf.rp_id(), conf.origins()[0])
    enrollment = save_enrollment(
        request=None, user_guid=guid, username="bench", service="passkey", display="Bench"
    )
    key = PasskeyCredential.objects.create(
        enrollment=enrollment,
        user_guid=guid,
        name="Bench",
        credential_id=_b64(device.credential_id),
        public_key=device.cose,
        user_handle=_b64(device.user_handle),
    )

    def request():
        r = RequestFactory().post("/", REMOTE_ADDR="192.0.2.10")
        r.session = SessionStore()
        r.user = AnonymousUser()
        return r

    verify_times, proof_times = [], []
    for _ in range(n):
        challenge = secrets.token_bytes(64)
        answer = device.answer(_b64(challenge))
        started = time.perf_counter()
        verify_authentication_response(
            credential=answer,
            expected_challenge=challenge,
            expected_rp_id=conf.rp_id(),
            expected_origin=conf.origins(),
            credential_public_key=bytes(key.public_key),
            credential_current_sign_count=0,
            require_user_verification=True,
        )
        verify_times.append(time.perf_counter() - started)

        req = request()
        flow = proofs.start_flow(
            req, purpose="reset", user_guid=guid, username="bench", return_url="/"
        )
        challenge = new_challenge(request=req, purpose=f"flow:{flow.id}", user_guid=guid)
        answer = device.answer(_b64(challenge))
        started = time.perf_counter()
        prove_with_passkey(request=req, flow=flow, response=answer)
        proof_times.append(time.perf_counter() - started)
        assert "passkey" in flow.proved or proofs.get_flow(req, flow.id).proved

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"passkey proof, {n} runs each, database {engine}:")
    print(f"  verify (webauthn library, one assertion): {_ms(verify_times)}")
    print(f"  proof (prove_with_passkey, whole server step): {_ms(proof_times)}")
    return {"verify": verify_times, "proof": proof_times}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
