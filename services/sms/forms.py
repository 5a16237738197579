"""Forms of the Mobilkod pages: they parse input; the services decide."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from . import conf
from .codes import CodeError, normalize_code
from .messages import message
from .phone import MAX_INPUT_LENGTH, NORDIC, PhoneNumberError, calling_codes, country_choices, parse

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


def _grouped_countries() -> list:
    choices = country_choices()
    nordic = [c for c in choices if c[0] in NORDIC]
    rest = [c for c in choices if c[0] not in NORDIC]
    if not nordic or not rest:
        return choices
    return [(_("Norden"), nordic), (_("Alla länder"), rest)]


class PhoneForm(ErrorsDescribedMixin, forms.Form):
    country = forms.ChoiceField(label=_("Land"), choices=_grouped_countries)
    number = forms.CharField(
        label=_("Mobilnummer"), max_length=MAX_INPUT_LENGTH, strip=True, widget=ShortEchoInput
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("country", conf.default_country())
        super().__init__(*args, **kwargs)
        country, number = self.fields["country"], self.fields["number"]
        country.error_messages = {
            "required": message("phone_country"),
            "invalid_choice": message("phone_country"),
        }
        number.error_messages = {
            "required": message("phone_empty"),
            "max_length": message("phone_too_long"),
        }
        country.widget.attrs.update(
            {
                "autocomplete": "country",
                "data-calling-codes": json.dumps(calling_codes(), separators=(",", ":")),
            }
        )
        number.widget.attrs.update(
            {
                "autocomplete": "tel",
                "inputmode": "tel",
                "aria-describedby": "number-help",
                # The browser may cut pasted text; the server checks the length again.
                "maxlength": str(MAX_INPUT_LENGTH),
            }
        )

    def clean(self) -> dict:
        data = super().clean()
        if "number" in data and "country" in data:
            try:
                data["e164"] = parse(data["country"], data["number"])
            except PhoneNumberError as exc:
                self.add_error("number", exc.message)
        elif "number" in data and not self.errors.get("country"):
            self.add_error("country", message("phone_country"))
        return data


class CodeForm(ErrorsDescribedMixin, forms.Form):
    code = forms.CharField(
        label=_("Kod"), max_length=MAX_CODE_INPUT, strip=True, widget=ShortEchoInput
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.error_messages = {
            "required": message("code_empty"),
            "max_length": message("code_length", count=conf.code_length()),
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
        try:
            return normalize_code(self.cleaned_data["code"])
        except CodeError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc


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
