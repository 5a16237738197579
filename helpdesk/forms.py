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
