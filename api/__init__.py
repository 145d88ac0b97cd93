"""The REST API wiring: routes and the OpenAPI schema. Each app owns its serializers and views."""
