"""Access control, by job: who is asking (`identite`), what they may do (`regles`), the shape of callback
requests (`charge_utile`), sign-in (`connexion` for local accounts, `proconnect` and its OpenID client
`oidc` for ProConnect), security headers (`entetes`), briefing links (`liens`), signed tokens (`jetons`),
passwords (`mots_de_passe`); `controle.installer` hooks them on every request."""
