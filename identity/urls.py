from django.urls import path

from . import not_me_views, views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("inte-jag/<str:token>/", not_me_views.not_me, name="not_me"),
]
