from django.urls import path

from . import views

urlpatterns = [
    path("email/", views.mailcode_enroll, name="mailcode_enroll"),
    path("email/confirm/", views.mailcode_confirm, name="mailcode_confirm"),
    path("email/remove/", views.mailcode_remove, name="mailcode_remove"),
    path("email/verify/<str:flow_id>/", views.mailcode_verify, name="mailcode_verify"),
    path("email/status/<uuid:challenge_id>/", views.mailcode_status, name="mailcode_status"),
]
