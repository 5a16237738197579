from __future__ import annotations

from django.http import HttpResponse, HttpResponseRedirect

from enrollment.base import IdentityService

#: The notices "sent" through this service (a real one would queue a task).
SENT: list[dict] = []


class TestKeyService(IdentityService):
    key = "testkey"
    name = "Testnyckel"
    enroll_url_name = "testkey_enroll"
    verify_url_name = "testkey_verify"
    caller_check_label = "Fråga efter testnyckeln"

    def masked(self, enrollment) -> str:
        return f"nyckel …{enrollment.display[-2:]}"

    def queue_notice(self, *, user_guid: str, text: str, kind: str, replaced_value: str = ""):
        SENT.append({"user_guid": user_guid, "text": text, "kind": kind})
        return True

    def check_caller(self, check):
        if check.request.method == "POST":
            check.finish(check.request, user=check.user, method=self.key, verified=True)
            return HttpResponseRedirect(check.user_url)
        return HttpResponse(f"Testnyckel för {check.user.username}")
