from django.urls import path

from . import views

urlpatterns = [
    path("bankid/", views.enroll, name="bankid_enroll"),
    path("bankid/verify/<str:flow_id>/", views.verify, name="bankid_verify"),
    path("bankid/order/<uuid:order_id>/", views.order_page, name="bankid_order"),
    path("bankid/order/<uuid:order_id>/status", views.order_status, name="bankid_status"),
    path("bankid/order/<uuid:order_id>/cancel", views.order_cancel, name="bankid_cancel"),
    path("bankid/order/<uuid:order_id>/done", views.order_done, name="bankid_done"),
    path("bankid/return/<slug:nonce>", views.order_return, name="bankid_return"),
]
