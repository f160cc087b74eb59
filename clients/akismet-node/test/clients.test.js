// Real npm Akismet clients against a running Marquee server.
//
// Run by `go test ./internal/akismet -run TestRealClients`, which starts the
// server and sets MARQUEE_AKISMET_URL (http://127.0.0.1:PORT) and
// MARQUEE_AKISMET_KEY. By hand: start `marquee serve`, make a key with
// `marquee akismet add-key -blog URL`, export both, then `npm test`.
import { test } from "node:test";
import assert from "node:assert/strict";
import dns from "node:dns";
import { createRequire } from "node:module";

// Clients that put the key in the host name (KEY.localhost:PORT) need
// *.localhost to resolve to the test server: do it inside this process
// only, without touching the machine's resolver.
const realLookup = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === "function") {
    callback = options;
    options = {};
  } else if (typeof options === "number") {
    options = { family: options };
  }
  if (hostname === "localhost" || hostname.endsWith(".localhost")) {
    if (options && options.all) {
      return process.nextTick(callback, null, [{ address: "127.0.0.1", family: 4 }]);
    }
    return process.nextTick(callback, null, "127.0.0.1", 4);
  }
  return realLookup.call(dns, hostname, options, callback);
};

const require = createRequire(import.meta.url);
const { AkismetClient } = require("akismet-api");
const { Author, Blog, CheckResult, Client, Comment } = await import("@cedx/akismet");

const base = process.env.MARQUEE_AKISMET_URL;
const key = process.env.MARQUEE_AKISMET_KEY;
if (!base || !key) {
  throw new Error("set MARQUEE_AKISMET_URL (http://127.0.0.1:PORT) and MARQUEE_AKISMET_KEY");
}
const port = new URL(base).port;
const blogURL = "https://blog.example.org/";

const hamText =
  "Thanks for the detailed write-up on sourdough starters. I tried feeding mine twice a day " +
  "as you suggested and the loaf rose much better this weekend. Did you ever try rye flour?";

// Two campaigns: the same pitch with one word changed each time.
function pitch(brand, season) {
  return `Our family bakery ${brand} now ships heirloom grain flour across Europe, see ${brand}.example ` +
    `for the ${season} catalogue and wholesale terms.`;
}
function pottery(season) {
  return `I run a small pottery studio near the coast and we publish glaze recipes every ${season} ` +
    `at coastal-clay.example for anyone who bakes their own tiles.`;
}

// akismet-api 6: host + protocol; it sends the key as the first label of
// the host for every call but verify-key.
function akismetApi(k = key) {
  return new AkismetClient({ key: k, blog: blogURL, host: `localhost:${port}`, protocol: "http" });
}

test("akismet-api: verify-key", async () => {
  assert.equal(await akismetApi().verifyKey(), true);
  assert.equal(await akismetApi("0123456789ab").verifyKey(), false);
});

test("akismet-api: ham, test triggers, administrator", async () => {
  const c = akismetApi();
  const base = { ip: "203.0.113.7", useragent: "Mozilla/5.0", name: "Ann Baker", email: "ann@example.net", content: hamText };
  assert.equal(await c.checkSpam(base), false);
  assert.equal(await c.checkSpam({ ...base, name: "viagra-test-123" }), true);
  assert.equal(await c.checkSpam({ ...base, email: "akismet-guaranteed-spam@example.com" }), true);
  assert.equal(await c.checkSpam({ ...base, name: "viagra-test-123", role: "administrator" }), false);
  assert.equal(await c.checkSpam({ ...base, honeypot: "filled by a bot" }), true);
  await assert.rejects(akismetApi("0123456789ab").checkSpam(base), /Invalid API key/);
});

test("akismet-api: submit-spam, then the campaign is caught", async () => {
  const c = akismetApi();
  const comment = (season) => ({
    ip: "198.51.100.23", useragent: "Mozilla/5.0", name: "Grainhouse Lyon",
    email: "sales@grainhouse-lyon.example", url: "https://grainhouse-lyon.example/",
    content: pitch("grainhouse-lyon", season),
  });
  assert.equal(await c.checkSpam(comment("spring")), false);
  await c.submitSpam(comment("spring"));
  await c.submitSpam(comment("summer"));
  assert.equal(await c.checkSpam(comment("autumn")), true);
  await c.submitHam({ ...comment("autumn"), content: hamText });
});

// @cedx/akismet 16: baseUrl; it sends the key as api_key.
function cedx(isTest = false, k = key) {
  return new Client(k, new Blog({ url: blogURL, charset: "UTF-8", languages: ["en"] }), { baseUrl: base, isTest });
}

test("@cedx/akismet: verify-key", async () => {
  assert.equal(await cedx().verifyKey(), true);
  assert.equal(await cedx(false, "0123456789ab").verifyKey(), false);
});

test("@cedx/akismet: ham, test triggers, administrator", async () => {
  const author = (o = {}) => new Author({ ipAddress: "203.0.113.8", userAgent: "Mozilla/5.0", name: "Ann Baker", email: "ann@example.net", ...o });
  const comment = (o = {}) => new Comment({
    author: author(o), content: hamText, type: "comment",
    date: new Date(), postModified: new Date(Date.now() - 86400e3),
    permalink: "https://blog.example.org/2024/05/sourdough/", context: ["baking", "sourdough"],
  });
  assert.equal(await cedx().checkComment(comment()), CheckResult.ham);
  assert.equal(await cedx(true).checkComment(comment()), CheckResult.ham);
  assert.equal(await cedx().checkComment(comment({ name: "viagra-test-123" })), CheckResult.spam);
  assert.equal(await cedx(true).checkComment(comment({ email: "akismet-guaranteed-spam@example.com" })), CheckResult.spam);
  assert.equal(await cedx().checkComment(comment({ name: "viagra-test-123", role: "administrator" })), CheckResult.ham);
  await assert.rejects(cedx(false, "0123456789ab").checkComment(comment()), /Invalid API key/);
});

test("@cedx/akismet: submit-spam, then the campaign is caught", async () => {
  const comment = (season) => new Comment({
    author: new Author({ ipAddress: "198.51.100.44", userAgent: "Mozilla/5.0", name: "Coastal Clay", email: "studio@coastal-clay.example", url: "https://coastal-clay.example/" }),
    content: pottery(season), type: "comment",
  });
  assert.equal(await cedx().checkComment(comment("spring")), CheckResult.ham);
  await cedx().submitSpam(comment("spring"));
  await cedx().submitSpam(comment("summer"));
  assert.notEqual(await cedx().checkComment(comment("autumn")), CheckResult.ham);
  await cedx().submitHam(comment("winter"));
});

test("usage-limit and key-sites (fetch)", async () => {
  const usage = await (await fetch(`${base}/1.2/usage-limit?api_key=${key}`)).json();
  assert.equal(usage.limit, "none");
  assert.equal(usage.throttled, false);
  assert.ok(Number.isInteger(usage.usage) && usage.usage > 0, JSON.stringify(usage));
  const sites = await (await fetch(`${base}/1.2/key-sites?api_key=${key}`)).json();
  const [month] = Object.keys(sites).filter((k) => /^\d{4}-\d{2}$/.test(k));
  assert.equal(sites.total, 1);
  assert.equal(sites[month][0].site, "blog.example.org");
  assert.equal(sites[month][0].api_calls, usage.usage);
  assert.equal(sites[month][0].missed_spam, 4);
  assert.equal(sites[month][0].false_positives, 2);
});
