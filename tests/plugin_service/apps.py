from enrollment.apps import IdentityServiceConfig


class PluginServiceConfig(IdentityServiceConfig):
    name = "tests.plugin_service"
    label = "plugin_service"
    service = "tests.plugin_service.service.TestKeyService"
