// Fournisseur OpenID Connect de test, façon ProConnect : oidc-provider (certifié OpenID) sur la boucle locale,
// lancé par les tests (tests/oidc/lanceur.py, fixture fournisseur_oidc). Jamais en production.
//
// Ce qu'il imite de ProConnect : les portées et les revendications de l'identité pivot (given_name,
// usual_name, email, uid, siret), l'userinfo signé (application/jwt), le jeton d'identité signé RS256, la
// déconnexion au fournisseur (end_session_endpoint), l'authentification client_secret_post, PKCE S256.
// Page de connexion : une page minimale en français, sans rien d'extérieur (le navigateur des tests ne
// résout aucun autre hôte) ; tout identifiant est accepté (les identités connues sont ci-dessous, toute autre
// reçoit une identité inventée) ; pas d'écran de consentement (ProConnect n'en montre pas).
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

const echapper = (texte) => String(texte).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (titre, corps) => `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${echapper(titre)}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label,input,button{display:block;
margin:.5rem 0}input{width:100%;padding:.5rem}button{padding:.5rem 1rem}</style></head>
<body><main><h1>${echapper(titre)}</h1>${corps}</main></body></html>`;

const configuration = {
  clients,
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Erreur du fournisseur', `<pre>${echapper(JSON.stringify(out, null, 2))}</pre>`);
  },
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
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page('Se déconnecter du fournisseur de test', `${form}
          <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Se déconnecter</button>`);
      },
    },
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

async function corps(req) {
  let texte = '';
  for await (const morceau of req) {
    texte += morceau;
  }
  return new URLSearchParams(texte);
}

// The sign-in page: GET /interaction/:uid shows it, POST /interaction/:uid/connexion signs in as the
// identifier typed and hands back to the authorization endpoint.
fournisseur.use(async (ctx, next) => {
  const chemin = ctx.path.match(/^\/interaction\/([\w-]+)(\/connexion)?$/);
  if (!chemin) {
    return next();
  }
  const { uid, prompt } = await fournisseur.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'POST' && chemin[2] && prompt.name === 'login') {
    const login = (await corps(ctx.req)).get('login') || '';
    const suite = await fournisseur.interactionResult(ctx.req, ctx.res, { login: { accountId: login } }, {
      mergeWithLastSubmission: false,
    });
    ctx.status = 303;
    ctx.redirect(suite);
    return undefined;
  }
  if (ctx.method === 'GET' && !chemin[2] && prompt.name === 'login') {
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = page('Fournisseur d’identité de test', `
      <form method="post" action="/interaction/${echapper(uid)}/connexion" autocomplete="off">
        <label for="login">Identifiant</label><input id="login" name="login" required autofocus>
        <label for="password">Mot de passe</label><input id="password" name="password" type="password" required>
        <button type="submit">Se connecter</button>
      </form>`);
    return undefined;
  }
  ctx.throw(400, `interaction inattendue : ${prompt.name}`);
  return undefined;
});
fournisseur.on('server_error', (ctx, err) => console.error('server_error', err));
fournisseur.listen(port, '127.0.0.1', () => {
  console.log(`fournisseur prêt : ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
