import { AppError } from '../../errors.js'
import { summarize, type Rejection } from '../../ingest/fields.js'

const MAX_LISTED_ERRORS = 100

/**
 * A refused batch as REST answers it: 400 (413 for too many events), naming the first problem in
 * the message and listing all of them in `errors`.
 */
export function rejectionError(rejection: Rejection): AppError {
  const { errors } = rejection
  const message = summarize(errors)
  const tooMany = rejection.problem === 'too-many-events'
  return new AppError(tooMany ? 'PAYLOAD_TOO_LARGE' : 'BAD_USER_INPUT', tooMany ? 413 : 400, message, {
    errors: errors.slice(0, MAX_LISTED_ERRORS),
  })
}
