// Fournisseur OpenID Connect de test, façon ProConnect : oidc-provider (certifié OpenID) sur la boucle locale,
// lancé par les tests (tests/oidc/lanceur.py, fixture fournisseur_oidc). Jamais en production.
//
// Ce qu'il imite de ProConnect : les portées et les revendications de l'identité pivot (given_name,
// usual_name, email, uid, siret), l'userinfo signé (application/jwt), le jeton d'identité signé RS256, la
// déconnexion au fournisseur (end_session_endpoint), l'authentification client_secret_post, PKCE S256.
// Page de connexion : celle de développement d'oidc-provider (tout identifiant est accepté ; les
// identités connues sont ci-dessous, toute autre reçoit une identité inventée), sans écran de consentement.
//
// Réglages (variables d'environnement) :
//   PORT                          port d'écoute sur 127.0.0.1 (obligatoire)
//   CLIENT_ID / CLIENT_SECRET     le client du tableau de bord
//   REDIRECT_URIS                 ses adresses de retour, séparées par des virgules
//   POST_LOGOUT_REDIRECT_URIS     ses adresses après déconnexion, séparées par des virgules
//   AUTRE_CLIENT_ID / _SECRET     un second client (un autre service), pour les jetons d'une autre audience
import { generateKeyPairSync, randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';

const env = process.env;
const port = Number(env.PORT);
if (!port) {
  console.error('PORT manquant');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const liste = (valeur) => (valeur || '').split(',').map((v) => v.trim()).filter(Boolean);

const PORTEES = ['openid', 'email', 'given_name', 'usual_name', 'uid', 'siret'];

// Les identités que connaît le fournisseur (l'identifiant tapé sur sa page est le `sub`).
const IDENTITES = {
  'marie-dupont': {
    given_name: 'Marie', usual_name: 'Dupont', email: 'marie.dupont@bretagne.gouv.fr', uid: '1001',
    siret: '11000201100044',
  },
  'jean-martin': {
    given_name: 'Jean', usual_name: 'Martin', email: 'jean.martin@paysdelaloire.fr', uid: '1002',
    siret: '23440003400026',
  },
  'paul-durand': {
    given_name: 'Paul', usual_name: 'Durand', email: 'paul.durand@ailleurs.fr', uid: '1003',
    siret: '21750001600019',
  },
  // Même adresse que marie-dupont, autre personne (autre `sub`) : un compte lié ne la suit pas.
  'usurpateur': {
    given_name: 'Marie', usual_name: 'Dupont', email: 'marie.dupont@bretagne.gouv.fr', uid: '9999',
    siret: '21750001600019',
  },
};

function identite(sub) {
  return IDENTITES[sub] || {
    given_name: 'Agent', usual_name: sub, email: `${sub}@exemple.gouv.fr`, uid: sub,
    siret: '21750001600019',
  };
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const cle = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

const clients = [
  {
    client_id: env.CLIENT_ID || 'passnum',
    client_secret: env.CLIENT_SECRET || 'secret-de-test',
    redirect_uris: liste(env.REDIRECT_URIS),
    post_logout_redirect_uris: liste(env.POST_LOGOUT_REDIRECT_URIS),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
    userinfo_signed_response_alg: 'RS256',
  },
  {
    client_id: env.AUTRE_CLIENT_ID || 'autre-service',
    client_secret: env.AUTRE_CLIENT_SECRET || 'secret-autre-service',
    redirect_uris: ['http://127.0.0.1:9/retour'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
  },
];

const configuration = {
  clients,
  jwks: { keys: [cle] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: PORTEES,
  claims: {
    openid: ['sub'],
    email: ['email'],
    given_name: ['given_name'],
    usual_name: ['usual_name'],
    uid: ['uid'],
    siret: ['siret'],
  },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    jwtUserinfo: { enabled: true },
    revocation: { enabled: true },
  },
  pkce: { required: () => true },
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
  async findAccount(ctx, sub) {
    return { accountId: sub, async claims() { return { sub, ...identite(sub) }; } };
  },
  // No consent screen (ProConnect shows none): every portée asked for is granted at once.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(PORTEES.join(' '));
    await grant.save();
    return grant;
  },
};

const fournisseur = new Provider(issuer, configuration);
fournisseur.on('server_error', (ctx, err) => console.error('server_error', err));
fournisseur.listen(port, '127.0.0.1', () => {
  console.log(`fournisseur prêt : ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
