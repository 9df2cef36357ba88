"""A real OpenID Connect provider for the ProConnect tests: `oidc-provider` (npm) run by `lanceur`."""
