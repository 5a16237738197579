from django.urls import path

from . import views

urlpatterns = [
    path("passkey/", views.manage, name="passkey_manage"),
    path("passkey/<int:key_id>/remove/", views.remove, name="passkey_remove"),
    path("passkey/verify/<str:flow_id>/", views.verify, name="passkey_verify"),
]
