from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect

from enrollment.services import save_enrollment


@login_required
def enroll(request):
    if request.method == "POST":
        save_enrollment(
            request=request,
            user_guid=request.user.directory_guid,
            username=request.user.get_username(),
            service="testkey",
            display="key-42",
        )
        return redirect("home")
    return HttpResponse("Registrera testnyckel")


def verify(request, flow_id: str):
    return HttpResponse(f"Testnyckel i flöde {flow_id}")
