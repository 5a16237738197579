from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from enrollment.stars import star_meter


@login_required
def home(request):
    meter = star_meter(user_guid=request.user.directory_guid or "")
    return render(request, "portal/home.html", {"meter": meter})
