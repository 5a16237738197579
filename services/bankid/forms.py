from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .pnr import ERROR_MESSAGES, InvalidPersonalNumber, normalize_personal_number


class PersonalNumberForm(forms.Form):
    personal_number = forms.CharField(
        label=_("Personnummer"),
        help_text=_("Fyll i ditt fullständiga personnummer ÅÅÅÅMMDDXXXX"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={
            "required": ERROR_MESSAGES["required"],
            "max_length": ERROR_MESSAGES["format"],
        },
    )

    def clean_personal_number(self) -> str:
        try:
            return normalize_personal_number(self.cleaned_data["personal_number"])
        except InvalidPersonalNumber as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None


class CallerPersonalNumberForm(forms.Form):
    personal_number = forms.CharField(
        label=_("Personnummer som den som ringer uppger"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Skriv personnumret som den som ringer uppger.")},
    )
