from django.urls import path

from . import change_views, views

urlpatterns = [
    path("reset/", views.start_view, {"purpose": "reset"}, name="reset_start"),
    path("reset/done/", views.done_view, {"purpose": "reset"}, name="reset_done"),
    path("reset/<slug:flow_id>/", views.prove_view, {"purpose": "reset"}, name="reset_prove"),
    path("reset/<slug:flow_id>/password/", views.password_view, name="reset_password"),
    path("unlock/", views.start_view, {"purpose": "unlock"}, name="unlock_start"),
    path("unlock/done/", views.done_view, {"purpose": "unlock"}, name="unlock_done"),
    path("unlock/<slug:flow_id>/", views.prove_view, {"purpose": "unlock"}, name="unlock_prove"),
    path("unlock/<slug:flow_id>/confirm/", views.unlock_view, name="unlock_confirm"),
    path("change-password/", change_views.change_password_view, name="change_password"),
    path(
        "change-password/done/",
        change_views.change_password_done_view,
        name="change_password_done",
    ),
]
