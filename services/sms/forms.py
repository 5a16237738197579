"""Forms of the Mobilkod pages: they parse input; the services decide."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from enrollment.forms import ErrorsDescribedMixin, OneTimeCodeForm, ShortEchoInput

from . import conf
from .codes import normalize_code
from .messages import message
from .phone import MAX_INPUT_LENGTH, NORDIC, PhoneNumberError, calling_codes, country_choices, parse


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


class CodeForm(OneTimeCodeForm):
    read_code = staticmethod(normalize_code)
    message_for = staticmethod(message)
    code_length = staticmethod(conf.code_length)
