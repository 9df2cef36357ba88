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
import composantsAbsents from "./composants-absents.json" with { type: "json" };

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

// Layout components no figure of ours uses (menus, sliders, range slider and selector of axes, 3D
// annotations: ≈ 50 kB): core.js registers them, nothing else requires them, and plotly looks a
// component up in its registry (Registry.getComponentMethod: nothing when absent). Each is replaced by
// an empty component of another name. dashboard/web/scripts.py (COMPOSANTS_ABSENTS) lists them for the
// test that no figure of ours sets them.
const sansComposants = {
  name: "sans-composants-inutiles",
  setup(build) {
    const motif = new RegExp(`[\\\\/]plotly\\.js[\\\\/]src[\\\\/]components[\\\\/](${composantsAbsents.composants.join("|")})[\\\\/]index\\.js$`);
    build.onLoad({ filter: motif }, (fichier) => ({
      contents: `module.exports = { moduleType: "component", name: "absent-${fichier.path.split(/[\\/]/).slice(-2)[0]}" };`,
      loader: "js",
    }));
  },
};

// d3-geo-projection's projections (70 kB): plotly looks a projection up in d3-geo first
// (src/plots/geo/geo.js) and our maps are drawn in Mercator, a d3-geo projection.
const sansProjections = {
  name: "sans-projections-supplementaires",
  setup(build) {
    build.onResolve({ filter: /^d3-geo-projection$/ }, () => ({ path: "projections", namespace: "sans-projections" }));
    build.onLoad({ filter: /.*/, namespace: "sans-projections" }, () => ({ contents: "module.exports = {};", loader: "js" }));
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
  plugins: [sansComposants, sansProjections, sansDocumentation, sansPays],
  logLevel: "warning",
});
// Writes `<prefixe>-<version>-<hash>.min.js` (+ .gz, .br), in place of the previous build of the same name.
function ecrire(prefixe, version, code) {
  const empreinte = createHash("sha256").update(code).digest("hex").slice(0, 12);
  const nom = `${prefixe}-${version}-${empreinte}.min.js`;
  mkdirSync(sortie, { recursive: true });
  for (const ancien of readdirSync(sortie).filter((f) => f.startsWith(`${prefixe}-`))) {
    unlinkSync(join(sortie, ancien));
  }
  writeFileSync(join(sortie, nom), code);
  writeFileSync(join(sortie, nom + ".gz"), gzipSync(code, { level: 9 }));
  writeFileSync(
    join(sortie, nom + ".br"),
    brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
  console.log(`${nom} : ${code.length} octets`);
}

const banniere = `/* plotly.js v${version} (MIT, Plotly, Inc.), réduit aux traces : ${traces.join(", ")} */\n`;
ecrire("plotly", version, Buffer.from(banniere + resultat.outputFiles[0].text));

// The global `regeneratorRuntime` Dash's bundles (renderer, dcc, dash-bootstrap-components) call for
// their async code, alone: Dash puts all of @babel/polyfill 7 (core-js 2, 99 kB) before them, whose
// other polyfills every browser the dashboard supports has natively. dashboard/web/scripts.py serves it
// in the polyfill's place.
const regenerateur = require("regenerator-runtime/package.json").version;
const runtime = await esbuild.transform(readFileSync(require.resolve("regenerator-runtime/runtime.js"), "utf8"), {
  minify: true,
  target: "es2016",
  legalComments: "none",
});
ecrire(
  "regenerator-runtime",
  regenerateur,
  Buffer.from(`/* regenerator-runtime v${regenerateur} (MIT, Facebook, Inc.) */\n` + runtime.code),
);
