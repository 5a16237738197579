"""URLs of the identity services: each installed service app's own urls.py."""

from django.urls import include, path
from django.utils.module_loading import module_has_submodule

from .apps import service_apps

urlpatterns = [
    path("", include(f"{app.name}.urls"))
    for app in service_apps()
    if module_has_submodule(app.module, "urls")
]
