// Login sessions of the demo target: a token maps to a user name. The same token is handed out
// as the bearer token (`{"token"}`) and as the `session` cookie. Bounded: oldest evicted first.

const MAX_SESSIONS = 100_000;

export class SessionStore {
  private readonly users = new Map<string, string>();

  create(user: string): string {
    const token = crypto.randomUUID().replaceAll("-", "");
    if (this.users.size >= MAX_SESSIONS) {
      const oldest = this.users.keys().next();
      if (!oldest.done) this.users.delete(oldest.value);
    }
    this.users.set(token, user);
    return token;
  }

  /** The user of a request: `Authorization: Bearer <token>` first, then the `session` cookie. */
  userOf(request: Request): string | undefined {
    const auth = request.headers.get("authorization");
    if (auth !== null) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth);
      const user = match ? this.users.get(match[1]!) : undefined;
      if (user !== undefined) return user;
    }
    const cookie = request.headers.get("cookie");
    if (cookie !== null) {
      for (const part of cookie.split(";")) {
        const eq = part.indexOf("=");
        if (eq > 0 && part.slice(0, eq).trim() === "session") {
          const user = this.users.get(part.slice(eq + 1).trim());
          if (user !== undefined) return user;
        }
      }
    }
    return undefined;
  }
}
