from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import health, views

urlpatterns = [
    path("healthz", health.ready, name="healthz"),
    path("healthz/live", health.live, name="healthz-live"),
    path("healthz/ready", health.ready, name="healthz-ready"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("brand.css", views.brand_stylesheet, name="brand_css"),
    path("brand/logo", views.brand_logo, name="brand_logo"),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("identity.urls")),
    path("", include("enrollment.urls")),
    path("", include("reset.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
