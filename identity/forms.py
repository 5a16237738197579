from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .login import MAX_USERNAME_LENGTH


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Användarnamn"),
        max_length=MAX_USERNAME_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
        error_messages={
            "required": _("Fyll i ditt användarnamn."),
            "max_length": _("Användarnamnet är för långt."),
        },
    )
    password = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={
            "required": _("Fyll i ditt lösenord."),
            "max_length": _("Lösenordet är för långt."),
        },
    )

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        if any(ord(ch) < 32 for ch in value):
            raise forms.ValidationError(_("Användarnamnet innehåller ogiltiga tecken."))
        return value
