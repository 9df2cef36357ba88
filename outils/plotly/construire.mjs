// plotly.js reduced to the traces of traces.json, for the browser (the PNG/PDF exports keep the full
// plotly.js of the server). Reproducible: versions locked by package-lock.json, esbuild, no date in it.
//     cd outils/plotly && npm ci && npm run build
// writes dashboard/web/statique/plotly-<version>-<hash>.min.js (+ .gz, .br), served with a one-year cache
// by dashboard/web/scripts.py.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, readdirSync, unlinkSync, mkdirSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import * as esbuild from "esbuild";

const ici = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const sortie = join(ici, "..", "..", "dashboard", "web", "statique");
const { traces } = JSON.parse(readFileSync(join(ici, "traces.json"), "utf8"));
const version = require("plotly.js/package.json").version;

const entree = [
  "var Plotly = require('plotly.js/lib/core');",
  "Plotly.register([",
  ...traces.map((t) => `  require('plotly.js/lib/${t}'),`),
  "]);",
  "module.exports = Plotly;",
].join("\n");

// The attributes' documentation (description, role, hrName: 150 kB once minified)
// serves plotly's schema and docs, never a drawing: dropped, as plotly.js does for its own .min.js.
const META = [
  /\s*(description|role|hrName): '.*',?/g, // on one line
  /\s*description: \[[\s\S]*?\]\.join\([^)]*\),?/g, // ['…', '…'].join(' ')
];
const sansDocumentation = {
  name: "sans-documentation",
  setup(build) {
    build.onLoad({ filter: /[\\/]plotly\.js[\\/]src[\\/].*\.js$/ }, async (fichier) => ({
      contents: META.reduce((code, motif) => code.replace(motif, ""), readFileSync(fichier.path, "utf8")),
      loader: "js",
    }));
  },
};

// Country names (locationmode "country names", 68 kB of names in every language): our maps locate
// their shapes by GeoJSON ids; plotly then finds no country by name (and says so in the console).
const sansPays = {
  name: "sans-noms-de-pays",
  setup(build) {
    build.onResolve({ filter: /^country-iso-search$/ }, () => ({ path: "pays", namespace: "sans-pays" }));
    build.onLoad({ filter: /.*/, namespace: "sans-pays" }, () => ({
      contents: "module.exports = { COUNTRIES: [], createLookup: () => ({ lookupAlpha3: () => undefined }) };",
      loader: "js",
    }));
  },
};

const resultat = await esbuild.build({
  stdin: { contents: entree, resolveDir: ici, sourcefile: "plotly-reduit.js" },
  format: "iife",
  globalName: "Plotly",
  bundle: true,
  minify: true,
  write: false,
  legalComments: "none",
  // the maplibre stylesheet is required by the registry for `map` subplots only, which are not bundled
  loader: { ".css": "empty" },
  alias: { regl: "@plotly/regl", stream: "stream-browserify" },
  define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
  target: "es2016",
  plugins: [sansDocumentation, sansPays],
  logLevel: "warning",
});
const banniere = `/* plotly.js v${version} (MIT, Plotly, Inc.), réduit aux traces : ${traces.join(", ")} */\n`;
const code = Buffer.from(banniere + resultat.outputFiles[0].text);
const empreinte = createHash("sha256").update(code).digest("hex").slice(0, 12);
const nom = `plotly-${version}-${empreinte}.min.js`;

mkdirSync(sortie, { recursive: true });
for (const ancien of readdirSync(sortie).filter((f) => f.startsWith("plotly-"))) {
  unlinkSync(join(sortie, ancien));
}
writeFileSync(join(sortie, nom), code);
writeFileSync(join(sortie, nom + ".gz"), gzipSync(code, { level: 9 }));
writeFileSync(
  join(sortie, nom + ".br"),
  brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
);
console.log(`${nom} : ${code.length} octets`);
