import { BASE_PATH } from '../api/base'
import { VIEW_KEYS } from '../state/dashboard'
import { carried, type ParamChanges } from '../state/url'

/** A link to a page of the app, keeping the organization, time range and filters (or changing some). */
export function pageLink(path: string, params: URLSearchParams, changes: ParamChanges = {}): string {
  return `${BASE_PATH}${path}${carried(params, VIEW_KEYS, changes)}`
}
