"""docs/settings.md cannot drift from the code: every variable the settings
read from the environment is documented with its real default, and every
variable documented as read is read.

The names come from portal/settings.py itself, parsed (not imported): every
call of the env helpers (``env_str("NAME", default)``, ...) and every name in
the lists of app settings it reads (``_ENV_INT = [...]``). A default is
compared when it is a literal: the default argument of the helper call, else
the literal an app module gives for the name (``getattr(settings, "NAME", 5)``,
``_get("NAME", 5)`` or ``NAME = 5`` in a conf module), wherever the defaults
live.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "portal" / "settings.py"
DOCS = ROOT / "docs" / "settings.md"
HELPERS = {"env_str", "env_bool", "env_int", "env_list", "env_required"}
APPS = ("portal", "identity", "enrollment", "reset", "audit", "helpdesk", "services")
#: Variables read outside portal/settings.py (documented in the same page).
ELSEWHERE = {
    "PORT": "devtools/management/commands/demo.py",
    "DEMO_BANKID_PORT": "devtools/management/commands/demo.py",
    "DEMO_BANKID_PHONE_PORT": "devtools/management/commands/demo.py",
}
#: Defaults the code computes (no literal to compare), with why.
COMPUTED = {
    "SMS_HTTP_BODY_TEMPLATE": "depends on SMS_HTTP_CONTENT_TYPE",
    "SMS_CONNECT_TIMEOUT": "None: the smaller of 5 and SMS_TIMEOUT",
    "SMS_ALLOWED_COUNTRIES": "None: services.sms.conf.DEFAULT_ALLOWED_COUNTRIES",
    "BANKID_TIMEOUT": "a (connect, read) pair, written 3.05,10 in the environment",
}
_UNSET = object()


def _literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _UNSET


def settings_reads() -> dict[str, object]:
    """Every variable portal/settings.py reads: name -> literal default (or _UNSET)."""
    tree = ast.parse(SETTINGS.read_text())
    found: dict[str, object] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in HELPERS
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            default = _literal(node.args[1]) if len(node.args) > 1 else _UNSET
            if node.func.id == "env_bool" and len(node.args) == 1:
                default = _UNSET
            previous = found.get(node.args[0].value, _UNSET)
            found[node.args[0].value] = default if previous is _UNSET else previous
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if any(re.fullmatch(r"_ENV_[A-Z]+", t) for t in targets):
                for item in node.value.elts:
                    if isinstance(item, ast.Constant) and isinstance(item.value, str):
                        found.setdefault(item.value, _UNSET)
    return found


def _module_constants(tree: ast.Module) -> dict[str, object]:
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                constants[target.id] = _literal(node.value)
    return constants


def app_defaults(names: set[str]) -> dict[str, object]:
    """Literal defaults the apps give for ``names`` (first found wins)."""
    defaults: dict[str, object] = {}
    files = [p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    for path in files:
        if path == SETTINGS:
            continue
        tree = ast.parse(path.read_text())
        constants = _module_constants(tree)

        def resolve(node, constants=constants):
            if isinstance(node, ast.Name):
                return constants.get(node.id, _UNSET)
            return _literal(node)

        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                strings = [
                    (i, a.value)
                    for i, a in enumerate(node.args)
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
                for index, value in strings:
                    if value in names and len(node.args) > index + 1:
                        defaults.setdefault(value, resolve(node.args[index + 1]))
            elif isinstance(node, ast.Dict) and "conf" in path.stem:
                # An app's DEFAULTS = {"NAME": default, ...}
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value in names:
                        defaults.setdefault(key.value, resolve(value))
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and "conf" in path.stem:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in names and node.value:
                        defaults.setdefault(target.id, resolve(node.value))
    return defaults


def documented() -> dict[str, str]:
    """Variables in the tables of docs/settings.md (before the section of
    settings that are not read from the environment): name -> default cell."""
    text = DOCS.read_text()
    text = text.split("## Settings that are not read from the environment")[0]
    rows = {}
    for line in text.splitlines():
        match = re.match(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|([^|]*)\|", line)
        if match:
            rows[match.group(1)] = match.group(2).strip()
    return rows


def _rendered(value) -> str | None:
    """How the docs write a literal default; None for "empty"."""
    if value is None or value in ("", [], ()):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def test_the_parser_finds_what_settings_reads():
    reads = settings_reads()
    # one of each kind: a helper call with a default, a required one, an app setting
    assert reads["LDAP_TIMEOUT"] == 5
    assert "SECRET_KEY" in reads and "SMS_CODE_LENGTH" in reads
    assert app_defaults({"SMS_CODE_LENGTH"})["SMS_CODE_LENGTH"] == 6


def test_every_variable_read_is_documented():
    reads = set(settings_reads()) | set(ELSEWHERE)
    missing = sorted(reads - set(documented()))
    assert not missing, f"read from the environment but not in docs/settings.md: {missing}"


def test_every_documented_variable_is_read():
    reads = set(settings_reads()) | set(ELSEWHERE)
    extra = sorted(set(documented()) - reads)
    assert not extra, f"in docs/settings.md but never read: {extra}"


def test_every_literal_default_is_documented_as_it_is():
    reads = settings_reads()
    from_apps = app_defaults({n for n, d in reads.items() if d is _UNSET})
    docs = documented()
    wrong = []
    for name, default in sorted(reads.items()):
        if default is _UNSET:
            default = from_apps.get(name, _UNSET)
        if default is _UNSET or name not in docs or name in COMPUTED:
            continue
        cell = docs[name]
        expected = _rendered(default)
        if expected is None:
            ok = cell.lower().startswith(("empty", "none", "not set", "unset", '`""`'))
        else:
            ok = f"`{expected}`" in cell or (
                isinstance(default, (int, float)) and f"`{default:g}`" in cell
            )
        if not ok:
            wrong.append(f"{name}: code {default!r}, docs {cell!r}")
    assert not wrong, "defaults in docs/settings.md that differ from the code:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(ELSEWHERE))
def test_variables_read_elsewhere_are_really_read_there(name):
    assert f'"{name}"' in (ROOT / ELSEWHERE[name]).read_text()
