"""django-otp's TOTP plugin registers its device in the admin, with the secret
and a QR code of it for staff. The helpdesk must never see a user's secret:
the helpdesk site shows the authenticator app masked, on the user's page."""

from django.contrib import admin
from django_otp.plugins.otp_totp import admin as otp_totp_admin  # noqa: F401  (registers it first)
from django_otp.plugins.otp_totp.models import TOTPDevice

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)
