"""Forms of the E-postkod pages: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enrollment.forms import ErrorsDescribedMixin, OneTimeCodeForm

from . import conf
from .address import MAX_INPUT_LENGTH
from .codes import normalize_code
from .messages import message


class AddressInput(forms.EmailInput):
    """Shows back at most an address's length of what was posted."""

    def format_value(self, value):
        value = super().format_value(value)
        return value[:MAX_INPUT_LENGTH] if value else value


class AddressForm(ErrorsDescribedMixin, forms.Form):
    # Checked by the service (address.normalize_address), not by EmailField:
    # one set of messages, and the own-domain rule needs the user.
    address = forms.CharField(
        label=_("Privat e-postadress"),
        max_length=MAX_INPUT_LENGTH * 4,
        strip=True,
        widget=AddressInput,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["address"]
        field.error_messages = {
            "required": message("address_empty"),
            "max_length": message("address_too_long"),
        }
        field.widget.attrs.update(
            {
                "autocomplete": "email",
                "aria-describedby": "address-help",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        )


class CodeForm(OneTimeCodeForm):
    read_code = staticmethod(normalize_code)
    message_for = staticmethod(message)
    code_length = staticmethod(conf.code_length)
