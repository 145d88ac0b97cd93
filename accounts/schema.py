"""How the OpenAPI schema (drf-spectacular) describes the token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ScopedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.tokens.ScopedTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "A scoped, expiring token issued by `manage.py issue_token`."}
