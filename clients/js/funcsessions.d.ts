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

/** What `login` resolves to for an account with a second factor: finish with `completeSecondFactor`. */
export interface SecondFactorRequired {
  secondFactorRequired: true;
  /** The API's accepted methods, e.g. ['totp', 'recovery_code']. */
  methods: string[];
  /** When this pending sign-in expires (ISO 8601); log in again after it. */
  expiresAt: string;
}

/** One of `{ code }` (from the authenticator app) or `{ recoveryCode }`. */
export type SecondFactorAnswer = { code: string; recoveryCode?: never } | { recoveryCode: string; code?: never };

export interface SecondFactorStatus {
  totp: boolean;
  recoveryCodesLeft: number;
}

/** TOTP set-up, shown once: add `otpAuthUri` (or scan `qrCode`, an image URL) in the app, then `confirmTotp(code)`. */
export interface TotpSetup {
  /** The base32 secret, for typing into an app by hand. */
  secret: string;
  otpAuthUri: string;
  qrCode: string;
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string | null;
  transports: string[];
  aaguid: string;
  /** Backup eligible: a synced passkey, possibly on the user's other devices too. */
  synced: boolean;
}

/** An external sign-in provider the API offers (`GET oauth/providers`). */
export interface ExternalProvider {
  /** The name in the routes (`oauth/{name}/start`). */
  name: string;
  /** What a "Sign in with …" button says. */
  displayName: string;
  /** The start route's path on the API's host. */
  startUrl: string;
}

export interface ExternalSignInOptions {
  /** Where the sign-in ends (an origin in the API's `FuncSessions:External:ReturnOrigins`). Default this page, without its fragment. */
  returnTo?: string;
  /** Link the provider's identity to the signed-in account instead (cookie mode, needs a recent sign-in). */
  link?: boolean;
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
  /** For tests: the WebAuthn API (`create`, `get`). Default navigator.credentials. */
  credentials?: Pick<CredentialsContainer, 'create' | 'get'> | null;
  /** For tests: the page's location (`href`, `assign`), read and navigated by the external sign-in calls. Default `location`. */
  location?: { readonly href: string; assign(url: string): void } | null;
  /** For tests: where `completeExternalSignIn` takes the code out of the address bar. Default `history`. */
  history?: Pick<History, 'state' | 'replaceState'> | null;
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
  /** The session, or `SecondFactorRequired` for an account with TOTP on (then call `completeSecondFactor`). */
  login(username: string, password: string): Promise<Session | SecondFactorRequired>;
  /** Finishes a login that needs a second factor. A recovery code ends every other session of the account. */
  completeSecondFactor(answer: SecondFactorAnswer): Promise<Session>;
  secondFactorStatus(): Promise<SecondFactorStatus>;
  /** Starts TOTP set-up (needs a recent sign-in, else `reauthentication_required`). */
  enrolTotp(): Promise<TotpSetup>;
  /** Turns TOTP on with a first code; resolves to the ten recovery codes, shown this once. */
  confirmTotp(code: string): Promise<string[]>;
  /** Turns TOTP off; the API ends every other session of the account. */
  disableTotp(): Promise<void>;
  regenerateRecoveryCodes(): Promise<string[]>;
  /** Creates a passkey with the browser (navigator.credentials.create) for the signed-in account and stores it. */
  registerPasskey(name: string): Promise<Passkey>;
  /** Signs in with a passkey the browser offers: no user name, password or second-factor step. */
  signInWithPasskey(): Promise<Session>;
  listPasskeys(): Promise<Passkey[]>;
  deletePasskey(id: string): Promise<void>;
  /** Registers by address (email switched on on the server); the API mails a verification link. */
  registerWithEmail(email: string, password: string): Promise<{ status: number }>;
  /** As `login`, by address. */
  loginWithEmail(email: string, password: string): Promise<Session | SecondFactorRequired>;
  /** Mails a new verification link; always 202, known address or not. */
  requestEmailVerification(email: string): Promise<{ status: number }>;
  /** Completes verification with the token from the link (`#action=verify-email&token=…`). */
  verifyEmail(token: string): Promise<void>;
  /** Mails a password-reset link; always 202, known address or not. */
  requestPasswordReset(email: string): Promise<{ status: number }>;
  /** Sets a new password with the token from the link (`#action=reset-password&token=…`); every session of the account ends. */
  resetPassword(token: string, newPassword: string): Promise<void>;
  /** Asks to move the signed-in account to a new address (needs a recent login, else `reauthentication_required`). */
  changeEmail(newEmail: string): Promise<{ status: number }>;
  /** Completes an address change with the token from the link (`#action=confirm-email-change&token=…`). */
  confirmEmailChange(token: string): Promise<void>;
  /** The external providers the API offers, for "Sign in with …" buttons. */
  externalProviders(): Promise<ExternalProvider[]>;
  /** The provider's start URL (`oauth/{name}/start?returnTo=…`), returning to this page by default. */
  externalSignInUrl(provider: ExternalProvider | string, options?: ExternalSignInOptions): string;
  /** Navigates this tab to the provider; the sign-in ends back on `returnTo`. */
  signInWithProvider(provider: ExternalProvider | string, options?: ExternalSignInOptions): void;
  /**
   * On the page the sign-in returned to: removes `signin_code` and `error` from the address bar; in bearer mode
   * exchanges the code for the session. Null when this load is no such return (cookie mode: `restore()` finds the
   * session). `?error=` rejects with a FuncSessionsError carrying that code (status 0).
   */
  completeExternalSignIn(): Promise<Session | SecondFactorRequired | null>;
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

/** Bytes as unpadded base64url (WebAuthn's binary fields in JSON). */
export function bytesToBase64Url(bytes: ArrayBuffer | ArrayBufferView): string;
/** base64url, padded or not, as bytes. */
export function base64UrlToBytes(text: string): ArrayBuffer;
