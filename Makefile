# Självserviceportalen: `make demo` and `make test` work on a fresh Debian machine.
SHELL := /bin/bash
# The first of python3, python3.13, python3.12, python3.11 that is 3.11 or newer.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
endif
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
DATA ?= var/demo
# Extra pytest arguments, e.g. PYTEST_ARGS='-m "not e2e and not production"'.
PYTEST_ARGS ?=

# Debian packages: the Samba AD DC the tests run against, Chromium for the
# browser tests, gettext for translations, OpenSSL for test certificates.
TEST_DEBS := samba samba-dsdb-modules samba-ad-provision samba-vfs-modules ldb-tools \
             chromium gettext openssl
DEMO_DEBS := gettext

# The demo: DEBUG off like production, but plain HTTP on loopback, the
# database-backed demo directory, the BankID simulator and console SMS.
DEMO_ENV := PORTAL_DATA_DIR=$(CURDIR)/$(DATA) \
	DEBUG=false DEMO_MODE=true LOG_FORMAT=plain \
	SECRET_KEY_FILE=$(CURDIR)/$(DATA)/secret_key \
	DATABASE_URL=sqlite:///$(CURDIR)/$(DATA)/portal.sqlite3 \
	CELERY_BROKER_URL=filesystem:// \
	DIRECTORY_BACKEND=devtools.demo_directory.DemoDirectoryBackend \
	SMS_BACKEND=services.sms.gateways.ConsoleBackend \
	BANKID_DIRECTORY_ATTRIBUTE=employeeNumber RESET_NEW_SERVICE_QUIET_SECONDS=0 \
	SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0 \
	WEBAUTHN_RP_ID=localhost WEBAUTHN_ORIGINS=http://localhost:$(PORT) \
	PORT=$(PORT) PORTAL_URL=http://localhost:$(PORT)/

.PHONY: demo demo-reminders test venv venv-dev system-deps lint format messages bench clean

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Python 3.11 or newer is needed (found: $$(python3 --version 2>&1 || echo none))."; \
	  echo "Install it (Debian 12: apt-get install python3; Ubuntu 22.04: apt-get install python3.11 python3.11-venv)"; \
	  echo "or name one: make PYTHON=/path/to/python3.12 ..."; \
	  exit 1; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed
venv-dev: $(VENV)/.installed-dev

system-deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Missing Debian packages:$$missing (run as root, or: sudo apt-get install$$missing)"; \
	  fi; \
	fi

demo: venv
	@$(MAKE) --no-print-directory system-deps DEBS="$(DEMO_DEBS)"
	@mkdir -p $(DATA)
	@test -s $(DATA)/secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $(DATA)/secret_key
	@chmod 600 $(DATA)/secret_key
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore='.venv*' -v 0 || true
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v 0
	$(DEMO_ENV) $(PY) manage.py createcachetable
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py demo

# The demo's password-expiry reminders, now (erik's password expires in 3 days);
# the e-mail is printed here. Run it beside `make demo`.
demo-reminders: venv
	$(DEMO_ENV) $(PY) manage.py send_password_expiry_reminders --dry-run
	$(DEMO_ENV) $(PY) manage.py send_password_expiry_reminders

test: venv-dev
	@$(MAKE) --no-print-directory system-deps DEBS="$(TEST_DEBS)"
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py compilemessages --ignore='.venv*' -v 0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: venv-dev
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemessages -l en --ignore='.venv*' --ignore=tests --ignore=bench --no-obsolete
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py compilemessages --ignore='.venv*'

bench: venv-dev
	$(PY) -m bench

clean:
	rm -rf var test-results
