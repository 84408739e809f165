import { errorCode } from "../guard/error-code.js";

/** A check's failure code: its own when it found the store in the wrong state, else the store's. */
export function checkErrorCode(error: unknown): string {
  return error instanceof CheckFailure ? error.code : errorCode(error);
}

/** A check that ran but found the store in the wrong state (a write that did not land). */
export class CheckFailure extends Error {
  readonly code: string;

  constructor(code: string) {
    super(code);
    this.name = "CheckFailure";
    this.code = code;
  }
}
