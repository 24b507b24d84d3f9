/** Working time is stored in milliseconds; dashboards and spreadsheets show hours (CVAT's / 3.6e6). */
export const MS_PER_HOUR = 3_600_000
