import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { expect } from 'vitest';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Source expressions a docs CSP may hold: none of them names another origin. */
const KEYWORDS = new Set(["'self'", "'none'", "'unsafe-inline'", 'data:']);

/** What the browser would fetch for /docs: every element's src/href, and the document the init script loads. */
function referencedUrls(html: string) {
  const elements: Element[] = [];
  const walk = (node: Node) => {
    if ('tagName' in node) elements.push(node);
    if ('content' in node) walk(node.content as Node); // <template>
    for (const child of 'childNodes' in node ? node.childNodes : []) walk(child);
  };
  walk(parse(html));
  const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;
  const urls = elements.flatMap((el) => ['src', 'href'].flatMap((name) => attr(el, name) ?? []).map((url) => ({ tag: el.tagName, url })));
  const scripts = elements.filter((el) => el.tagName === 'script');
  const inline = scripts.filter((el) => !attr(el, 'src')).map((el) => el.childNodes.map((n) => ('value' in n ? n.value : '')).join(''));
  for (const code of inline) for (const [, url] of code.matchAll(/"url":\s*"([^"]+)"/g)) urls.push({ tag: 'config', url: url! });
  return { urls, scripts: scripts.map((el) => ({ src: attr(el, 'src'), nonce: attr(el, 'nonce') })), styles: elements.filter((el) => el.tagName === 'style').map((el) => attr(el, 'nonce')) };
}

const expectedType: Record<string, RegExp> = {
  script: /^text\/javascript\b/,
  link: /^text\/css\b/,
  config: /^application\/json\b/,
};

/**
 * Loads /docs as a browser would, from `origin` through `get`, and checks that it works offline:
 * every URL it references (attributes, the document URL, the CSP) is on this origin and answers
 * 200 with the right type and a body; scripts run only with this response's nonce.
 */
export async function expectDocsWorkOffline(get: (path: string) => Promise<Response>, origin: string) {
  const page = await get('/docs');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html\b/);
  const html = await page.text();
  const { urls, scripts, styles } = referencedUrls(html);

  const csp = page.headers.get('content-security-policy') ?? '';
  // One policy, the page's own: a second header line (the API's default) would arrive joined by a comma.
  expect(csp).not.toContain(',');
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name!, sources]));
  const nonce = /'nonce-([^']+)'/.exec(directives.get('script-src')?.join(' ') ?? '')?.[1];
  expect(directives.get('default-src')).toEqual(["'none'"]);
  expect(nonce, `a script nonce in: ${csp}`).toBeTruthy();
  expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
  expect(directives.get('script-src')).not.toContain("'unsafe-eval'");
  const foreignSources = [...directives.values()].flat().filter((s) => !KEYWORDS.has(s) && !s.startsWith("'nonce-"));
  expect(foreignSources, 'CSP sources naming another origin').toEqual([]);

  // Each <script> and <style> Scalar writes carries the nonce; the bundle is one of them.
  expect(scripts.length).toBeGreaterThanOrEqual(2);
  for (const script of scripts) expect(script.nonce, `nonce of <script src=${script.src}>`).toBe(nonce);
  for (const styleNonce of styles) expect(styleNonce).toBe(nonce);

  expect(urls.map((u) => u.url)).toContain('/openapi.json');
  expect(urls.some((u) => u.tag === 'script')).toBe(true);
  for (const { tag, url } of urls) {
    const resolved = new URL(url, `${origin}/docs`);
    expect(resolved.origin, `<${tag}> ${url} leaves ${origin}`).toBe(origin);
    const res = await get(resolved.pathname + resolved.search);
    const body = new Uint8Array(await res.arrayBuffer());
    expect(res.status, url).toBe(200);
    expect(res.headers.get('content-type'), url).toMatch(expectedType[tag] ?? /./);
    expect(body.byteLength, url).toBeGreaterThan(0);
    // The init script calls Scalar.createApiReference: the bundle must be the one defining it.
    if (tag === 'script') expect(new TextDecoder().decode(body)).toContain('createApiReference');
  }
  return { html, csp, nonce };
}
