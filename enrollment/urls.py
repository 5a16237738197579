"""URLs of the identity services (each service's own urls.py)."""

from django.urls import include, path

urlpatterns = [
    path("", include("enrollment.sms.urls")),
    path("", include("enrollment.bankid.urls")),
]
