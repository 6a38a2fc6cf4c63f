/** An expected HTTP failure with a message a person understands. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

export const badRequest = (m = 'The request was not understood.') => new HttpError(400, m)
export const forbidden = (m = 'You are not allowed to do that.') => new HttpError(403, m)
export const notFound = (m = 'That page does not exist.') => new HttpError(404, m)
export const unprocessable = (m: string) => new HttpError(422, m)
export const tooMany = (m: string, retryAfterSeconds: number) =>
  new HttpError(429, m, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) })
export const unavailable = (what: string) => new HttpError(503, `${what} is unavailable right now. Please try again in a moment.`, { 'retry-after': '5' })

export const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Please log in',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Too large',
  422: 'Please check the form',
  429: 'Too many requests',
  500: 'Something went wrong',
  503: 'Temporarily unavailable',
}

/** Expected failures as values (DESIGN §2): every reason collected. */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; errors: E[] }
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value })
export const fail = <E>(...errors: E[]): Result<never, E> => ({ ok: false, errors })
