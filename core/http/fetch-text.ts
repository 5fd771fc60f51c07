/** Reads a text document over http(s), failing on a non-2xx answer or after 15 s. */
export async function fetchHttpText(url: string): Promise<string> {
  if (!/^https?:/.test(url)) throw new Error(`cannot read ${url.split(':')[0]}: URLs here`);
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return res.text();
}
