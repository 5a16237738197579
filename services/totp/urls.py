from django.urls import path

from . import views

urlpatterns = [
    path("totp/", views.totp_enroll, name="totp_enroll"),
    path("totp/remove/", views.totp_remove, name="totp_remove"),
    path("totp/verify/<str:flow_id>/", views.totp_verify, name="totp_verify"),
]
