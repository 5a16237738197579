"""The portal's URLs plus one that fails, for the 500 page's tests."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from portal.urls import *  # noqa: F403
from portal.urls import urlpatterns as portal_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [
    *i18n_patterns(path("boom/", boom), prefix_default_language=False),
    *portal_urlpatterns,
]
