import type { ComponentType } from 'preact'
import { AllEvents, Management, Monitoring } from './cvat-dashboards'
import { ExceptionReport } from './exception-report'
import { Events } from './events'
import { Exceptions } from './exceptions'
import { Exports } from './exports'
import { Overview } from './overview'
import { Productivity } from './productivity'
import { WorkingTime } from './working-time'

export interface Page {
  /** Below the service's base path. */
  readonly path: string
  readonly title: string
  /** The heading it is listed under in the navigation (null: at the top). */
  readonly section: string | null
  readonly component: ComponentType
}

/** Every page, in the order of the navigation. */
export const PAGES: readonly Page[] = [
  { path: '/', title: 'Overview', section: null, component: Overview },
  { path: '/all-events', title: 'All events', section: 'CVAT dashboards', component: AllEvents },
  { path: '/management', title: 'Management', section: 'CVAT dashboards', component: Management },
  { path: '/monitoring', title: 'Monitoring', section: 'CVAT dashboards', component: Monitoring },
  { path: '/exceptions', title: 'Exceptions', section: 'Errors', component: Exceptions },
  { path: '/exceptions/report', title: 'Users exceptions', section: 'Errors', component: ExceptionReport },
  { path: '/productivity', title: 'Productivity', section: 'People', component: Productivity },
  { path: '/working-time', title: 'Working time', section: 'People', component: WorkingTime },
  { path: '/events', title: 'Events', section: 'Data', component: Events },
  { path: '/exports', title: 'Exports', section: 'Data', component: Exports },
]
