// Second accessibility engine of the tests: pa11y (HTML_CodeSniffer, WCAG2AA) on Debian's Chromium.
// Usage: node auditer.mjs CONFIG.json — {"chromium": "/usr/bin/chromium", "pages": [{"url", "attendre"}]}
// Prints one JSON object: {url: [issues…]} (errors only). tests/browser/test_pa11y.py runs it.
import { readFileSync } from "node:fs";
import pa11y from "pa11y";
import puppeteer from "puppeteer";

// HTML_CodeSniffer looks labels up with `label[for="ID"]` written as is: Dash's pattern-matching ids are JSON
// (quotes), which makes that selector invalid and stops the whole run. Only when the browser refuses such a
// selector, the label is looked up by its `for` instead; nothing else of the page changes.
const LABEL_FOR = `(() => {
  for (const proto of [Document.prototype, Element.prototype]) {
    const un = proto.querySelector, tous = proto.querySelectorAll;
    const pour = (racine, s) => {
      const m = /^label\\[for="(.*)"\\]$/.exec(s);
      return m ? [...tous.call(racine, "label")].filter(l => l.htmlFor === m[1]) : null;
    };
    proto.querySelector = function (s) {
      try { return un.call(this, s); } catch (e) { const r = pour(this, s); if (r) { return r[0] || null; } throw e; }
    };
    proto.querySelectorAll = function (s) {
      try { return tous.call(this, s); } catch (e) { const r = pour(this, s); if (r) { return r; } throw e; }
    };
  }
})();`;

const config = JSON.parse(readFileSync(process.argv[2], "utf-8"));
const browser = await puppeteer.launch({
  executablePath: config.chromium,
  args: ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--lang=fr-FR"],
});
const resultats = {};
try {
  for (const page of config.pages) {
    const onglet = await browser.newPage();
    await onglet.evaluateOnNewDocument(LABEL_FOR);
    const r = await pa11y(page.url, {
      browser,
      page: onglet,
      standard: "WCAG2AA",
      runners: ["htmlcs"],
      includeNotices: false,
      includeWarnings: false,
      timeout: 90000,
      wait: 500,
      viewport: { width: page.largeur || 1920, height: page.hauteur || 1080 },
      actions: [`wait for element ${page.attendre} to be visible`],
    });
    resultats[page.url] = r.issues.map(i => ({ code: i.code, selector: i.selector, message: i.message,
                                              context: (i.context || "").slice(0, 200) }));
    await onglet.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(resultats));
