"""The language switch: the address of the page being shown, in another language.

Every page is under ``i18n_patterns`` with no prefix for Swedish (the default)
and ``/en/`` for English, so the other language's address is the same path
with the prefix swapped. Django's ``set_language`` tries to translate ``next``
by resolving it in the request's language, which fails for ``/en/...`` when
the browser asks for Swedish: it then keeps the ``/en/`` prefix (the bug of
issue #14). The form therefore sends the target address itself.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language_from_path


def url_in_language(full_path: str, language: str) -> str:
    """``full_path`` (path and query) with its language prefix set for ``language``."""
    path, sep, query = full_path.partition("?")
    current = get_language_from_path(path)
    if current and (path == f"/{current}" or path.startswith(f"/{current}/")):
        path = path[len(current) + 1 :] or "/"
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    return path + (sep + query if sep else "")


def language_links(request) -> list[dict[str, str]]:
    """The other languages, each with its name and this page's address in it."""
    from django.utils.translation import get_language

    current = get_language() or settings.LANGUAGE_CODE
    full_path = request.get_full_path() if request is not None else "/"
    return [
        {"code": code, "name": _native_name(code), "next": url_in_language(full_path, code)}
        for code, _name in settings.LANGUAGES
        if code != current
    ]


def _native_name(code: str) -> str:
    # Each language names itself ("Svenska" on an English page), untranslated.
    return {"sv": "Svenska", "en": "English"}.get(code, code)
