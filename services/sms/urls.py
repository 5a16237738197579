from django.urls import path

from . import views

urlpatterns = [
    path("sms/", views.sms_enroll, name="sms_enroll"),
    path("sms/confirm/", views.sms_confirm, name="sms_confirm"),
    path("sms/verify/<str:flow_id>/", views.sms_verify, name="sms_verify"),
    path("sms/status/<uuid:challenge_id>/", views.sms_status, name="sms_status"),
]
