"""The Django authentication backend: the password is checked by the directory."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend

from .directory import DirectoryError
from .login import authenticate_user


class DirectoryAuthBackend(BaseBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        try:
            return authenticate_user(request=request, username=username, password=password)
        except DirectoryError:
            return None

    def get_user(self, user_id):
        User = get_user_model()
        try:
            user = User.objects.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if user.is_active else None

    # Staff permissions come from Django groups/permissions like ModelBackend's.
    def get_all_permissions(self, user_obj, obj=None):
        from django.contrib.auth.backends import ModelBackend

        return ModelBackend().get_all_permissions(user_obj, obj)

    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj, app_label):
        """Whether the user has any permission in ``app_label`` (the admin index)."""
        return user_obj.is_active and any(
            perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj)
        )
