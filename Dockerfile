# Production image: Python 3.11 slim, non-root, dependencies from pyproject.toml.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORTAL_DATA_DIR=/app/var

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system portal && useradd --system --gid portal --home /app portal

WORKDIR /app
COPY pyproject.toml README.md ./
# The product's packages only: devtools (BankID simulator, demo directory),
# bench and tests stay out of the image.
COPY portal ./portal
COPY helpdesk ./helpdesk
COPY reset ./reset
COPY services ./services
COPY enrollment ./enrollment
COPY identity ./identity
COPY audit ./audit
COPY templates ./templates
COPY static ./static
COPY locale ./locale
COPY manage.py ./
RUN pip install . \
    && SECRET_KEY=build-only python manage.py compilemessages --ignore=.venv -v 0 \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /app/var /app/certs && chown -R portal:portal /app/var

USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
