from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Användarnamn, namn, e-post eller slutet av mobilnumret"),
        max_length=256,
        min_length=2,
        strip=True,
        error_messages={
            "required": _("Skriv vad du söker efter."),
            "min_length": _("Skriv minst två tecken."),
        },
    )


class RemoveEnrollmentForm(forms.Form):
    reason = forms.CharField(
        label=_("Anledning"),
        help_text=_("Sparas i granskningsloggen, t.ex. ”Har bytt mobilnummer, ärende 1234”."),
        max_length=500,
        min_length=5,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={
            "required": _("Skriv varför registreringen tas bort."),
            "min_length": _("Skriv en anledning på minst fem tecken."),
        },
    )


class CallerCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Koden som den som ringer läser upp"),
        max_length=12,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": _("Skriv koden som den som ringer läser upp.")},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class CallerPersonalNumberForm(forms.Form):
    personal_number = forms.CharField(
        label=_("Personnummer som den som ringer uppger"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Skriv personnumret som den som ringer uppger.")},
    )
