"""A throw-away identity service app: what adding a service takes.

Nothing outside this folder knows it. Put ``tests.plugin_service`` in
``INSTALLED_APPS`` and the registry, the home page's star-meter, the notices
and the helpdesk pick it up (tests/enrollment/test_plugin_service.py).
"""
