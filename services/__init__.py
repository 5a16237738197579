"""The identity services, each its own Django app (models, migrations, urls,
templates, static files, tasks, checks and settings object of its own).

The enrollment core finds them through ``INSTALLED_APPS`` and
``settings.IDENTITY_SERVICES``; no core module imports one.
"""
