/** The session as the API describes it. Never holds a token. */
export interface Session {
  userId: string;
  username: string;
  sessionId: string;
  /** When the session ends unless refreshed (ISO 8601). */
  expiresAt: string;
  absoluteExpiresAt: string;
  accessTokenExpiresAt?: string;
  /** Custom session data, on servers that support it. */
  data?: Record<string, unknown>;
}

export interface SessionListItem {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent?: string;
  ipAddress?: string;
  current: boolean;
}

export type ChangeReason =
  | 'login' | 'refresh' | 'password' | 'validated' | 'revalidated' | 'shared'
  | 'logout' | 'logout-all' | 'revoked' | 'expired';

export interface ChangeEvent {
  reason: ChangeReason;
  /** True when another tab caused the change. */
  fromOtherTab: boolean;
}

export interface ClientOptions {
  /** Origin (and optional path) in front of `/api/auth`; '' (default) means the page's own origin. */
  baseUrl?: string;
  /** Must match the API's `FuncSessions__Http__TokenTransport`. Default 'cookie'. */
  transport?: 'cookie' | 'bearer';
  /**
   * Origins of your own APIs (the FuncSessions API's origin is always included): `fetch` sends them the bearer
   * access token and refreshes on their 401s. Other origins never see the token.
   */
  trustedOrigins?: string[];
  /**
   * Where the cookie-mode presence hint (`__Host-fs-present=1`, set by the API next to its HttpOnly refresh cookie)
   * is read: without it the client knows there is no session and never sends `refresh`. Default `document` when the
   * API is on the page's host; otherwise null, and the client always asks the API (it cannot see another host's cookies).
   */
  document?: { readonly cookie: string } | null;
  /** For tests: a fetch implementation. */
  fetch?: typeof fetch;
  /** For tests: a Web Locks LockManager, or null to use the BroadcastChannel fallback. Default navigator.locks. */
  locks?: Pick<LockManager, 'request'> | null;
  /** For tests: the channel to other tabs, or null for none. Default a BroadcastChannel named after the API origin. */
  channel?: BroadcastChannel | null;
}

/** A failed call. Switch on `code`: the API's problem code, or `network_error`, or `http_<status>`. */
export class FuncSessionsError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
  /** From `Retry-After` (e.g. with `too_many_attempts`). */
  readonly retryAfterSeconds?: number;
}

export class FuncSessionsClient {
  constructor(options?: ClientOptions);
  /** The last known session, or null when signed out or not yet known. */
  readonly session: Session | null;
  onChange(listener: (session: Session | null, event: ChangeEvent) => void): () => void;
  /** Resolves once the API accepted the registration (202, or 201 from older servers). Log in afterwards. */
  register(username: string, password: string): Promise<{ status: number }>;
  login(username: string, password: string): Promise<Session>;
  /** On page load: the session (in bearer mode taken over from another open tab), or null. */
  restore(options?: { waitMs?: number }): Promise<Session | null>;
  /** The current session from the API, refreshing once if needed; null when there is none. */
  validate(): Promise<Session | null>;
  /** Rotates the tokens now, single-flight across tabs; false when the session is over (or, known without asking, there is none). */
  refresh(): Promise<boolean>;
  logout(): Promise<void>;
  sessions(): Promise<SessionListItem[]>;
  revokeSession(id: string): Promise<void>;
  logoutAll(): Promise<void>;
  changePassword(currentPassword: string, newPassword: string): Promise<Session>;
  /** fetch() with credentials; for trusted origins it refreshes once on 401, retries once and honours `X-Revalidate-Session: true`. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  close(): void;
}

export function createClient(options?: ClientOptions): FuncSessionsClient;
