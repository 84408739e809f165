/**
 * Errors raised for misuse, each with a stable `code`. They are thrown at the call that made the
 * mistake (a bad id, a missing secret, a value that cannot be stored), never from inside a request
 * path that must not fail: the jwt wrapper catches them and degrades instead.
 */
export type AuthCacheErrorCode =
  | "E_INVALID_ID"
  | "E_INVALID_OPTION"
  | "E_MISSING_SECRET"
  | "E_UNSTORABLE_VALUE"
  | "E_MISSING_DEPENDENCY"
  | "E_STORE_UNAVAILABLE";

export class AuthCacheError extends Error {
  readonly code: AuthCacheErrorCode;
  readonly context: Record<string, unknown>;

  constructor(
    code: AuthCacheErrorCode,
    message: string,
    context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AuthCacheError";
    this.code = code;
    this.context = context;
  }
}

/** An id (user id, session id) that cannot be used in a key. */
export class InvalidIdError extends AuthCacheError {
  constructor(what: string, reason: string) {
    super("E_INVALID_ID", `invalid ${what}: ${reason}`, { what });
    this.name = "InvalidIdError";
  }
}

/** An option that is missing, of the wrong type or out of range. */
export class InvalidOptionError extends AuthCacheError {
  constructor(option: string, reason: string) {
    super("E_INVALID_OPTION", `invalid option ${option}: ${reason}`, { option });
    this.name = "InvalidOptionError";
  }
}

/** A feature that needs `secret` (email keys, value encryption) was used without one. */
export class MissingSecretError extends AuthCacheError {
  constructor(feature: string) {
    super("E_MISSING_SECRET", `${feature} needs the \`secret\` option`, { feature });
    this.name = "MissingSecretError";
  }
}

/** A value that the envelope codec cannot carry (a function, a symbol, a cycle). */
export class UnstorableValueError extends AuthCacheError {
  constructor(path: string, reason: string) {
    super("E_UNSTORABLE_VALUE", `cannot store value at ${path}: ${reason}`, { path });
    this.name = "UnstorableValueError";
  }
}

/** An optional peer dependency (redis, ioredis, @upstash/redis) is not installed. */
export class MissingDependencyError extends AuthCacheError {
  constructor(pkg: string, cause?: unknown) {
    super("E_MISSING_DEPENDENCY", `install ${pkg} to use this store`, { pkg }, { cause });
    this.name = "MissingDependencyError";
  }
}

/** The store did not answer, or answered with an error. Wraps the client's own error. */
export class StoreUnavailableError extends AuthCacheError {
  constructor(store: string, op: string, cause?: unknown) {
    super(
      "E_STORE_UNAVAILABLE",
      `${store} store unavailable during ${op}`,
      { store, op },
      { cause },
    );
    this.name = "StoreUnavailableError";
  }
}
