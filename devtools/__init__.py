"""Development tools, not part of the product: the BankID simulator, the demo
directory and the demo commands (``manage.py demo``, ``seed_demo``,
``bankid_simulator``).

Left out of ``pip install .`` and of the Docker image; a checkout (``make demo``,
``make test``) has it, and ``portal/settings.py`` installs the app only when the
package is there. No product module imports it (import-linter contract).
"""
