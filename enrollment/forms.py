"""Form pieces every service's pages share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_CODE_INPUT = 32


class ShortEchoInput(forms.TextInput):
    """Shows back at most a few dozen characters of what was posted: a pasted
    20 kB body gets its error message, not a 20 kB page."""

    def format_value(self, value):
        value = super().format_value(value)
        return value[:64] if value else value


class ErrorsDescribedMixin:
    """Points each invalid input's aria-describedby at its error message
    (the templates give it the id ``<input id>-error``)."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                ids = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = f"{ids} {self.auto_id % name}-error".strip()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        if field in self.fields:
            widget = self.fields[field].widget
            ids = widget.attrs.get("aria-describedby", "")
            error_id = f"{self.auto_id % field}-error"
            if error_id not in ids.split():
                widget.attrs["aria-describedby"] = f"{ids} {error_id}".strip()


class OneTimeCodeForm(ErrorsDescribedMixin, forms.Form):
    """The code a user types from an SMS or an e-mail. A service subclasses it
    and sets ``read_code`` (raises its ``onetime.CodeError``), ``message_for``
    (its messages) and ``code_length``."""

    read_code: Any = None  # (text) -> digits
    message_for: Any = None  # (code, **params) -> str
    code_length: Any = None  # () -> int

    code = forms.CharField(
        label=_("Kod"), max_length=MAX_CODE_INPUT, strip=True, widget=ShortEchoInput
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.error_messages = {
            "required": self.message_for("code_empty"),
            "max_length": self.message_for("code_length", count=self.code_length()),
        }
        field.widget.attrs.update(
            {
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "aria-describedby": "code-help",
                "spellcheck": "false",
            }
        )

    def clean_code(self) -> str:
        from .onetime import CodeError

        try:
            return self.read_code(self.cleaned_data["code"])
        except CodeError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc


class CallerCodeForm(forms.Form):
    """The helpdesk types the code a caller reads out."""

    code = forms.CharField(
        label=_("Koden som den som ringer läser upp"),
        max_length=12,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": _("Skriv koden som den som ringer läser upp.")},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())
