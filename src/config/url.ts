// URLs in plans: which are absolute (`scheme://…`) and how a relative one joins the plan's
// `baseUrl`. Used at load (baseUrl and request URL checks) and by request-like steps at run time.

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;

export function isAbsoluteUrl(url: string): boolean {
  return ABSOLUTE.test(url);
}

/**
 * A joiner bound to one base URL (its trailing slashes trimmed once): absolute URLs pass through;
 * anything else becomes `base` + `/` + path (one slash between them). `${BASE_URL}/x` style
 * templates render absolute URLs and need no joining. A relative URL without a base throws.
 */
export function createUrlJoiner(baseUrl: string): (url: string) => string {
  const base = baseUrl.replace(/\/+$/, "");
  return (url) => {
    if (ABSOLUTE.test(url)) return url;
    if (base === "") {
      throw new Error(`request URL "${url}" is relative but the plan sets no baseUrl`);
    }
    return url.startsWith("/") ? base + url : `${base}/${url}`;
  };
}
