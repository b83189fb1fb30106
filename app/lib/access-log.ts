/**
 * What the access log keeps of a request's address. The path and the names of its query fields
 * stay (what was asked for); a value that could identify or unlock something does not: ID and
 * phone numbers (searches take them), vote receipts, objection lookup codes, certificate codes,
 * check-in tokens — any field so named, and any value with a run of six digits or more (spaces,
 * dashes and full-width digits included).
 */
const SECRET_FIELDS = new Set(["q", "code", "receipt", "lookup", "t", "token", "idnumber", "phone", "ready"]);

export function loggedPath(url: string): string {
  const [pathname, query] = url.split(/\?(.*)/s, 2);
  // A certificate's code is its key: the path names it.
  const path = pathname.replace(/^\/certificates\/[^/]+/, "/certificates/***").slice(0, 300);
  if (!query) return path;
  const fields = query
    .split("&")
    .slice(0, 30)
    .map((pair) => {
      const [name, value = ""] = pair.split("=", 2);
      let shown = value;
      try {
        shown = decodeURIComponent(value.replace(/\+/g, " "));
      } catch {
        // an undecodable value is shown masked below
      }
      // Digits typed full-width or spaced out are digits too.
      const secret = SECRET_FIELDS.has(name.toLowerCase()) || /[0-9０-９]{6,}/.test(shown.replace(/[\s\-－]/g, ""));
      return `${name.slice(0, 40)}=${secret && value ? "***" : value.slice(0, 40)}`;
    });
  return `${path}?${fields.join("&")}`;
}
