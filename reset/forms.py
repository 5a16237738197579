"""Forms of the reset pages. They parse input; the policy is the services' job."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from identity.policy import Failure, password_warnings

from .flow import MAX_USERNAME_LENGTH


def _clean_username(value: str) -> str:
    value = (value or "").strip()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise forms.ValidationError(_("Användarnamnet innehåller ogiltiga tecken."))
    return value


class StartForm(forms.Form):
    username = forms.CharField(
        label=_("Användarnamn"),
        help_text=_("Ditt användarnamn för datorn, eller din e-postadress."),
        max_length=MAX_USERNAME_LENGTH,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autofocus": True, "spellcheck": "false"}
        ),
        error_messages={
            "required": _("Fyll i ditt användarnamn."),
            "max_length": _("Användarnamnet är för långt."),
        },
    )

    def clean_username(self) -> str:
        return _clean_username(self.cleaned_data["username"])


class NewPasswordForm(forms.Form):
    """A new password typed twice. Never stripped: spaces at either end are
    kept, and the user must confirm that they meant them."""

    new_password = forms.CharField(
        label=_("Nytt lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Fyll i ett nytt lösenord.")},
    )
    confirm_password = forms.CharField(
        label=_("Upprepa det nya lösenordet"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Fyll i det nya lösenordet en gång till.")},
    )
    accept_spaces = forms.BooleanField(
        label=_("Ja, mellanslaget i början eller slutet är en del av mitt lösenord."),
        required=False,
    )

    #: The id of the rules checklist that describes the new password field.
    rules_id = "password-rules"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.warnings: list[Failure] = []
        self.fields["new_password"].widget.attrs["aria-describedby"] = self.rules_id

    def _describe_new_password(self) -> None:
        # Setting aria-describedby ourselves turns Django's off: name the error too.
        ids = [self.rules_id]
        if "new_password" in self._errors:
            ids.insert(0, f"{self['new_password'].auto_id}_error")
        self.fields["new_password"].widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        self._describe_new_password()

    def clean(self):
        data = super().clean()
        new, again = data.get("new_password"), data.get("confirm_password")
        if new and again is not None and new != again:
            self.add_error(
                "confirm_password", _("Lösenorden är inte lika. Skriv samma två gånger.")
            )
        if new:
            self.warnings = password_warnings(new)
            if self.warnings and not data.get("accept_spaces"):
                self.add_error("accept_spaces", self.warnings[0].message)
        return data

    @property
    def show_accept_spaces(self) -> bool:
        return bool(self.warnings) or "accept_spaces" in self.errors

    def add_failures(self, failures: list[Failure]) -> None:
        """Show the policy's refusals on the new password field."""
        for failure in failures:
            if failure.blocking:
                self.add_error("new_password", failure.message)
        self._describe_new_password()


class ChangePasswordForm(NewPasswordForm):
    """The user's own change: the old password, and the username when not logged in."""

    username = forms.CharField(
        label=_("Användarnamn"),
        max_length=MAX_USERNAME_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": _("Fyll i ditt användarnamn."),
            "max_length": _("Användarnamnet är för långt."),
        },
    )
    old_password = forms.CharField(
        label=_("Nuvarande lösenord"),
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={
            "required": _("Fyll i ditt nuvarande lösenord."),
            "max_length": _("Lösenordet är för långt."),
        },
    )

    field_order = ["username", "old_password", "new_password", "confirm_password", "accept_spaces"]

    def __init__(self, *args, ask_username: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not ask_username:
            del self.fields["username"]

    def clean_username(self) -> str:
        return _clean_username(self.cleaned_data["username"])
