/** A GitHub read that failed for good: the message says what, where, and what to do. Never holds a token. */
export class GitHubReadError extends Error {
  /** HTTP status GitHub answered, when it answered. */
  readonly status: number | undefined;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitHubReadError';
    this.status = status;
  }
}

/** GitHub (or the network) delivered a response that is cut short or not what the API promises: worth retrying. */
export class IncompleteResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IncompleteResponseError';
  }
}

/** A tarball bigger (unpacked) than we agreed to read: read the files one by one instead. */
export class TarballTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarballTooLargeError';
  }
}
