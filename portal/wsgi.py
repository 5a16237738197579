import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# The BankID order page's token poll is answered before Django's request
# cycle (portal/pollpath.py); every other request goes to Django.
from .pollpath import TokenPollShortcut  # noqa: E402

application = TokenPollShortcut(application)
