"""The directory: who the users are and what their passwords are.

``get_directory()`` returns the backend chosen by ``settings.DIRECTORY_BACKEND``.
"""

from __future__ import annotations

from .base import (
    AccountDisabled,
    AccountExpired,
    AccountLocked,
    DirectoryBackend,
    DirectoryError,
    DirectoryUnavailable,
    DirectoryUser,
    MustChangePassword,
    PasswordExpired,
    PasswordPolicy,
    PolicyViolation,
    WrongPassword,
)
from .loader import get_directory, reset_directory

__all__ = [
    "AccountDisabled",
    "AccountExpired",
    "AccountLocked",
    "DirectoryBackend",
    "DirectoryError",
    "DirectoryUnavailable",
    "DirectoryUser",
    "MustChangePassword",
    "PasswordExpired",
    "PasswordPolicy",
    "PolicyViolation",
    "WrongPassword",
    "get_directory",
    "reset_directory",
]
