"""The code form of the authenticator app's pages: it only reads the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ShortEchoInput(forms.TextInput):
    """Shows back at most a few dozen characters of what was posted."""

    def format_value(self, value):
        value = super().format_value(value)
        return value[:64] if value else value


class CodeForm(forms.Form):
    """One code; the service reads it (``codes.normalize_code``) and says what was wrong."""

    code = forms.CharField(
        label=_("Kod från appen"),
        # No max_length here: the service says what is wrong with any input, and audits it.
        required=False,
        strip=True,
        widget=ShortEchoInput,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "aria-describedby": "code-help",
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        )

    def code_error(self, message: str) -> None:
        """Show ``message`` at the field, described for screen readers."""
        self.add_error("code", message)
        widget = self.fields["code"].widget
        widget.attrs["aria-describedby"] = "code-help id_code-error"
        widget.attrs["aria-invalid"] = "true"


class CallerCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Koden som den som ringer läser upp"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
