from django.urls import path

from . import views

urlpatterns = [
    path("testkey/", views.enroll, name="testkey_enroll"),
    path("testkey/verify/<str:flow_id>/", views.verify, name="testkey_verify"),
]
