/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query ActiveUsers($filter: EventFilter, $windowMinutes: Int) {\n  activeUsers(filter: $filter, windowMinutes: $windowMinutes) {\n    count\n    windowMinutes\n    users {\n      userId\n      userName\n      lastSeen\n      events\n    }\n  }\n}": typeof types.ActiveUsersDocument,
    "query Activity($filter: EventFilter, $interval: String!) {\n  activity(filter: $filter, interval: $interval) {\n    intervalMs\n    from\n    to\n    buckets {\n      time\n      count\n      users\n    }\n  }\n}": typeof types.ActivityDocument,
    "query ActivityByUser($filter: EventFilter, $interval: String!) {\n  activity(filter: $filter, interval: $interval) {\n    intervalMs\n    byUser {\n      userId\n      userName\n      buckets {\n        time\n        count\n      }\n    }\n  }\n}": typeof types.ActivityByUserDocument,
    "query AlertRule($id: ID!, $first: Int) {\n  alertRule(id: $id) {\n    ...AlertRuleFields\n    deliveries(first: $first) {\n      id\n      state\n      status\n      createdAt\n      attempts\n      statusCodes\n      lastError\n      nextAttemptAt\n      deliveredAt\n      log {\n        at\n        statusCode\n        error\n      }\n      payload\n    }\n  }\n}": typeof types.AlertRuleDocument,
    "fragment AlertRuleFields on AlertRule {\n  id\n  name\n  kind\n  orgId\n  orgSlug\n  state\n  firingSince\n  lastFiredAt\n  lastResolvedAt\n  lastEvaluatedAt\n  value\n  windowMinutes\n  threshold\n  factor\n  filter\n  enabled\n  hasWebhook\n  webhookUrl\n  webhookSecret\n  createdBy\n}": typeof types.AlertRuleFieldsFragmentDoc,
    "query AlertRules($states: [AlertState!]) {\n  alertRules(states: $states) {\n    ...AlertRuleFields\n  }\n}": typeof types.AlertRulesDocument,
    "mutation CreateAlertRule($input: AlertRuleInput!) {\n  createAlertRule(input: $input) {\n    ...AlertRuleFields\n  }\n}": typeof types.CreateAlertRuleDocument,
    "mutation DeleteAlertRule($id: ID!) {\n  deleteAlertRule(id: $id)\n}": typeof types.DeleteAlertRuleDocument,
    "query Events($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {\n  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n    edges {\n      cursor\n      node {\n        id\n        scope\n        objName\n        objId\n        objVal\n        source\n        timestamp\n        count\n        duration\n        projectId\n        taskId\n        jobId\n        userId\n        userName\n        userEmail\n        orgId\n        orgSlug\n        payload\n        accessTokenId\n        requestId\n        ingestedAt\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.EventsDocument,
    "query ExceptionGroups($filter: EventFilter, $first: Int, $after: String, $orderBy: ExceptionGroupOrder) {\n  exceptionGroups(\n    filter: $filter\n    first: $first\n    after: $after\n    orderBy: $orderBy\n  ) {\n    edges {\n      cursor\n      node {\n        id\n        count\n        users\n        jobs\n        firstSeen\n        lastSeen\n        sources\n        title\n        topFrame\n        message\n        stack\n        lastEventId\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.ExceptionGroupsDocument,
    "query ExceptionReport($filter: EventFilter, $category: String, $messages: Int) {\n  exceptionReport(filter: $filter) {\n    from\n    to\n    previousFrom\n    totals {\n      count\n      previousCount\n      deltaPercent\n      users\n      previousUsers\n      usersDeltaPercent\n    }\n    bySource {\n      source\n      count\n      previousCount\n      deltaPercent\n    }\n    categories {\n      category\n      count\n      share\n    }\n    summary {\n      source\n      category\n      count\n      share\n      users\n      previousCount\n      deltaPercent\n      previousUsers\n    }\n    byDay {\n      day\n      category\n      count\n    }\n    topMessages(category: $category, first: $messages) {\n      category\n      message\n      source\n      count\n      users\n    }\n  }\n}": typeof types.ExceptionReportDocument,
    "query Exceptions($filter: EventFilter, $first: Int, $after: String) {\n  exceptions(filter: $filter, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        timestamp\n        source\n        userId\n        userName\n        orgId\n        projectId\n        taskId\n        jobId\n        message\n        stack\n        event {\n          payload\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.ExceptionsDocument,
    "query ExceptionsByGroup($filter: EventFilter, $interval: String!, $groups: Int) {\n  exceptionsOverTime(filter: $filter, interval: $interval) {\n    intervalMs\n    buckets {\n      time\n      count\n    }\n    byGroup(first: $groups) {\n      groupId\n      count\n      buckets {\n        time\n        count\n        users\n      }\n    }\n  }\n}": typeof types.ExceptionsByGroupDocument,
    "query ExceptionsOverTime($filter: EventFilter, $interval: String!) {\n  exceptionsOverTime(filter: $filter, interval: $interval) {\n    intervalMs\n    buckets {\n      time\n      count\n      users\n    }\n  }\n}": typeof types.ExceptionsOverTimeDocument,
    "query ExportStatus($queryId: ID!) {\n  export(queryId: $queryId) {\n    queryId\n    status\n    format\n    includeExceptions\n    from\n    to\n    rowsWritten\n    rowsPlanned\n    bytesWritten\n    error\n    filename\n    downloadUrl\n    createdAt\n    startedAt\n    finishedAt\n    expiresAt\n  }\n}": typeof types.ExportStatusDocument,
    "query FilterOptions($filter: EventFilter, $limit: Int) {\n  filterOptions(filter: $filter, limit: $limit) {\n    users {\n      id\n      name\n    }\n    orgs {\n      id\n      slug\n    }\n    projectIds\n    taskIds\n    jobIds\n    scopes\n    sources\n  }\n}": typeof types.FilterOptionsDocument,
    "query GrafanaActiveUsersNow($filter: EventFilter!) {\n  activeUsers(filter: $filter, windowMinutes: 15) {\n    count\n  }\n}": typeof types.GrafanaActiveUsersNowDocument,
    "query GrafanaActivity($filter: EventFilter!, $bucket: String!) {\n  activity(filter: $filter, interval: $bucket) {\n    buckets {\n      time\n      count\n      users\n    }\n  }\n}": typeof types.GrafanaActivityDocument,
    "query GrafanaAlertRules($filter: EventFilter) {\n  alertRules(states: [FIRING], filter: $filter) {\n    name\n    kind\n    orgSlug\n    firingSince\n    value\n    threshold\n    windowMinutes\n  }\n}": typeof types.GrafanaAlertRulesDocument,
    "query GrafanaEvents($filter: EventFilter!) {\n  events(filter: $filter, first: 1000, orderBy: TIMESTAMP_DESC) {\n    nodes {\n      timestamp\n      scope\n      objName\n      objId\n      objVal\n      source\n      count\n      duration\n      projectId\n      taskId\n      jobId\n      userId\n      userName\n      orgSlug\n      requestId\n      payload\n    }\n  }\n}": typeof types.GrafanaEventsDocument,
    "query GrafanaExceptionCategories($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    categories(minCount: 1) {\n      category\n      count\n      share\n    }\n  }\n}": typeof types.GrafanaExceptionCategoriesDocument,
    "query GrafanaExceptionMessages($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    topMessages(first: 200) {\n      category\n      message\n      source\n      count\n      users\n    }\n  }\n}": typeof types.GrafanaExceptionMessagesDocument,
    "query GrafanaExceptionSources($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    bySource {\n      source\n      count\n      previousCount\n    }\n  }\n}": typeof types.GrafanaExceptionSourcesDocument,
    "query GrafanaExceptionSummary($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    summary {\n      source\n      category\n      count\n      share\n      users\n      previousCount\n      deltaPercent\n      previousUsers\n    }\n  }\n}": typeof types.GrafanaExceptionSummaryDocument,
    "query GrafanaExceptionTotals($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    totals {\n      count\n      deltaPercent\n      users\n      usersDeltaPercent\n    }\n  }\n}": typeof types.GrafanaExceptionTotalsDocument,
    "query GrafanaExceptions($filter: EventFilter!) {\n  exceptions(filter: $filter, first: 1000) {\n    nodes {\n      timestamp\n      source\n      userId\n      userName\n      projectId\n      taskId\n      jobId\n      message\n      stack\n      event {\n        payload\n      }\n    }\n  }\n}": typeof types.GrafanaExceptionsDocument,
    "query GrafanaExceptionsByDay($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    byDay {\n      day\n      category\n      count\n    }\n  }\n}": typeof types.GrafanaExceptionsByDayDocument,
    "query GrafanaExceptionsOverTime($filter: EventFilter!, $bucket: String!) {\n  exceptionsOverTime(filter: $filter, interval: $bucket) {\n    buckets {\n      time\n      count\n    }\n  }\n}": typeof types.GrafanaExceptionsOverTimeDocument,
    "query GrafanaFilterOptions($filter: EventFilter!) {\n  filterOptions(filter: $filter, limit: 1000) {\n    users {\n      id\n      name\n    }\n    orgs {\n      id\n      slug\n    }\n    projectIds\n    taskIds\n    jobIds\n    scopes\n    sources\n  }\n}": typeof types.GrafanaFilterOptionsDocument,
    "query GrafanaIdleGaps($filter: EventFilter!) {\n  idleGaps(filter: $filter, groupBy: [], first: 1) {\n    buckets {\n      label\n      fromSeconds\n      gaps\n      hours\n    }\n    workingHoursAt {\n      idleSeconds\n      hours\n    }\n  }\n}": typeof types.GrafanaIdleGapsDocument,
    "query GrafanaJobFlow($filter: EventFilter!) {\n  jobFlow(filter: $filter, first: 200) {\n    jobId\n    taskId\n    stage\n    state\n    assigneeId\n    hoursIn {\n      annotation\n      validation\n      acceptance\n    }\n    hoursInProgress\n    rejections\n    cycleHours\n    workingHoursIn {\n      annotation\n      validation\n      acceptance\n    }\n  }\n}": typeof types.GrafanaJobFlowDocument,
    "query GrafanaPlatforms($filter: EventFilter!) {\n  platforms(filter: $filter) {\n    browsers {\n      name\n      users\n    }\n    operatingSystems {\n      name\n      users\n    }\n  }\n}": typeof types.GrafanaPlatformsDocument,
    "query GrafanaProductivityLeaderboard($filter: EventFilter!, $idleSeconds: Int!) {\n  productivity(\n    filter: $filter\n    groupBy: [USER]\n    idleSeconds: $idleSeconds\n    first: 1000\n  ) {\n    userId\n    userName\n    objectsCreated\n    manualObjectsCreated\n    importedObjectsCreated\n    automaticObjectsCreated\n    objectsDeleted\n    workingHours\n    objectsPerHour\n    reworkRatio\n    undo\n    redo\n  }\n}": typeof types.GrafanaProductivityLeaderboardDocument,
    "query GrafanaProductivityOverTime($filter: EventFilter!, $idleSeconds: Int!) {\n  productivity(\n    filter: $filter\n    groupBy: [USER, DAY]\n    idleSeconds: $idleSeconds\n    first: 1000\n  ) {\n    period\n    userId\n    userName\n    objectsPerHour\n  }\n}": typeof types.GrafanaProductivityOverTimeDocument,
    "query GrafanaScopeDurations($filter: EventFilter!) {\n  scopeDurations(filter: $filter) {\n    scope\n    source\n    count\n    avgDuration\n    minDuration\n    maxDuration\n  }\n}": typeof types.GrafanaScopeDurationsDocument,
    "query GrafanaUserActivity($filter: EventFilter!, $bucket: String!) {\n  activity(filter: $filter, interval: $bucket) {\n    byUserPoints {\n      time\n      user\n      count\n    }\n  }\n}": typeof types.GrafanaUserActivityDocument,
    "query GrafanaWorkingTime($filter: EventFilter!) {\n  workingTime(filter: $filter, groupBy: [USER, PROJECT, TASK, JOB], first: 1000) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    hours\n    actions\n  }\n}": typeof types.GrafanaWorkingTimeDocument,
    "query IdleGaps($filter: EventFilter, $groupBy: [ProductivityGroup!], $first: Int) {\n  idleGaps(filter: $filter, groupBy: $groupBy, first: $first) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    period\n    buckets {\n      fromSeconds\n      toSeconds\n      label\n      gaps\n      seconds\n      hours\n    }\n    workingHoursAt {\n      idleSeconds\n      hours\n    }\n  }\n}": typeof types.IdleGapsDocument,
    "query JobDetails($id: ID!, $interval: String!, $from: DateTime, $to: DateTime) {\n  job(id: $id) {\n    id\n    workingTime {\n      milliseconds\n      hours\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n    activity(interval: $interval, from: $from, to: $to) {\n      time\n      count\n    }\n    events(first: 5) {\n      edges {\n        node {\n          id\n          scope\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n}": typeof types.JobDetailsDocument,
    "query JobFlow($filter: EventFilter, $first: Int) {\n  jobFlow(filter: $filter, first: $first) {\n    jobId\n    taskId\n    projectId\n    stage\n    state\n    assigneeId\n    hoursIn {\n      annotation\n      validation\n      acceptance\n    }\n    hoursInProgress\n    rejections\n    firstValidationAt\n    acceptedAt\n    cycleHours\n    workingHoursIn {\n      annotation\n      validation\n      acceptance\n    }\n  }\n}": typeof types.JobFlowDocument,
    "query JobFlowOfJob($id: ID!, $to: DateTime) {\n  job(id: $id) {\n    id\n    flow(to: $to) {\n      jobId\n      stage\n      state\n      assigneeId\n      rejections\n      acceptedAt\n      cycleHours\n      hoursIn {\n        annotation\n        validation\n        acceptance\n      }\n      transitions {\n        at\n        field\n        from\n        to\n        userId\n      }\n    }\n  }\n}": typeof types.JobFlowOfJobDocument,
    "query JobsWithWorkingTime($filter: EventFilter, $first: Int) {\n  jobs(filter: $filter, first: $first) {\n    id\n    workingTime {\n      milliseconds\n      actions\n    }\n    lastEventAt\n  }\n}": typeof types.JobsWithWorkingTimeDocument,
    "subscription LiveAlerts {\n  alerts {\n    id\n    state\n    ruleId\n    ruleName\n    kind\n    orgId\n    orgSlug\n    at\n    windowFrom\n    windowMinutes\n    value\n    threshold\n    text\n    link\n    payload\n  }\n}": typeof types.LiveAlertsDocument,
    "subscription LiveEvents($filter: EventFilter) {\n  events(filter: $filter) {\n    id\n    scope\n    objName\n    objId\n    objVal\n    source\n    timestamp\n    count\n    duration\n    projectId\n    taskId\n    jobId\n    userId\n    userName\n    userEmail\n    orgId\n    orgSlug\n    payload\n    accessTokenId\n    requestId\n    ingestedAt\n    exceptionGroupId\n  }\n}": typeof types.LiveEventsDocument,
    "subscription LiveExceptions($filter: EventFilter) {\n  exceptions(filter: $filter) {\n    id\n    timestamp\n    source\n    userId\n    userName\n    orgId\n    projectId\n    taskId\n    jobId\n    message\n    stack\n    groupId\n    event {\n      scope\n      requestId\n      ingestedAt\n      payload\n    }\n  }\n}": typeof types.LiveExceptionsDocument,
    "mutation LogEvents($batch: ClientBatchInput!) {\n  logEvents(batch: $batch) {\n    __typename\n    ... on LogEventsSuccess {\n      stored\n      outcome\n      requestId\n    }\n    ... on LogEventsRejected {\n      message\n      errors {\n        index\n        field\n        message\n      }\n    }\n  }\n}": typeof types.LogEventsDocument,
    "query Platforms($filter: EventFilter) {\n  platforms(filter: $filter) {\n    browsers {\n      name\n      users\n    }\n    operatingSystems {\n      name\n      users\n    }\n  }\n}": typeof types.PlatformsDocument,
    "query Productivity($filter: EventFilter, $groupBy: [ProductivityGroup!], $idleSeconds: Int, $first: Int) {\n  productivity(\n    filter: $filter\n    groupBy: $groupBy\n    idleSeconds: $idleSeconds\n    first: $first\n  ) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    shapeType\n    period\n    objectsCreated\n    objectsUpdated\n    objectsDeleted\n    manualObjectsCreated\n    importedObjectsCreated\n    automaticObjectsCreated\n    workingHours\n    objectsPerHour\n    undo\n    redo\n    reworkRatio\n  }\n}": typeof types.ProductivityDocument,
    "query ProjectDetails($id: ID!) {\n  project(id: $id) {\n    id\n    workingTime {\n      milliseconds\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n  }\n}": typeof types.ProjectDetailsDocument,
    "query Quarantine($first: Int, $after: String, $reason: String) {\n  quarantine {\n    total\n    reasons {\n      reason\n      count\n      lastAt\n    }\n    events(first: $first, after: $after, reason: $reason) {\n      nodes {\n        id\n        receivedAt\n        path\n        reason\n        message\n        requestId\n        position\n        raw\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.QuarantineDocument,
    "query ScopeDurations($filter: EventFilter) {\n  scopeDurations(filter: $filter) {\n    scope\n    source\n    count\n    avgDuration\n    minDuration\n    maxDuration\n  }\n}": typeof types.ScopeDurationsDocument,
    "mutation StartExport($filter: EventFilter, $format: ExportFormat, $includeExceptions: Boolean, $filename: String) {\n  startExport(\n    filter: $filter\n    format: $format\n    includeExceptions: $includeExceptions\n    filename: $filename\n  ) {\n    queryId\n    export {\n      status\n    }\n  }\n}": typeof types.StartExportDocument,
    "query TaskDetails($id: ID!) {\n  task(id: $id) {\n    id\n    workingTime {\n      milliseconds\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n  }\n}": typeof types.TaskDetailsDocument,
    "mutation TestAlertRule($id: ID!) {\n  testAlertRule(id: $id) {\n    id\n    state\n    status\n    attempts\n    statusCodes\n    lastError\n    payload\n  }\n}": typeof types.TestAlertRuleDocument,
    "mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {\n  updateAlertRule(id: $id, input: $input) {\n    ...AlertRuleFields\n  }\n}": typeof types.UpdateAlertRuleDocument,
    "query UserDetails($id: ID!, $from: DateTime, $to: DateTime) {\n  user(id: $id) {\n    id\n    name\n    workingTime(from: $from, to: $to) {\n      milliseconds\n      hours\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n  }\n}": typeof types.UserDetailsDocument,
    "query Viewer {\n  viewer {\n    userId\n    username\n    role\n    orgSlug\n    orgRole\n    tokenKind\n    source\n    cvat {\n      privilege\n      superuser\n      analyticsAccess\n      credential\n      memberships {\n        orgId\n        slug\n        name\n        role\n      }\n      confirmedAt\n      freshUntil\n    }\n  }\n}": typeof types.ViewerDocument,
    "query WebEvents($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {\n  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n    nodes {\n      id\n      timestamp\n      scope\n      source\n      objName\n      objId\n      objVal\n      count\n      duration\n      orgSlug\n      projectId\n      taskId\n      jobId\n      userId\n      userName\n      requestId\n      payload\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.WebEventsDocument,
    "query WebExceptions($filter: EventFilter, $first: Int, $after: String) {\n  exceptions(filter: $filter, first: $first, after: $after) {\n    nodes {\n      id\n      timestamp\n      source\n      userId\n      userName\n      orgId\n      projectId\n      taskId\n      jobId\n      message\n      stack\n      groupId\n      event {\n        requestId\n        payload\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.WebExceptionsDocument,
    "query WebFiringAlertRules($filter: EventFilter) {\n  alertRules(states: [FIRING], filter: $filter) {\n    id\n    name\n    kind\n    orgSlug\n    firingSince\n    value\n    threshold\n    windowMinutes\n  }\n}": typeof types.WebFiringAlertRulesDocument,
    "query WebViewer {\n  viewer {\n    userId\n    username\n    role\n    orgSlug\n    orgRole\n    source\n    tokenKind\n    organizations {\n      id\n      slug\n      name\n      role\n    }\n  }\n}": typeof types.WebViewerDocument,
    "query WorkingTime($filter: EventFilter, $groupBy: [WorkingTimeDimension!], $first: Int) {\n  workingTime(filter: $filter, groupBy: $groupBy, first: $first) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    milliseconds\n    hours\n    actions\n  }\n}": typeof types.WorkingTimeDocument,
};
const documents: Documents = {
    "query ActiveUsers($filter: EventFilter, $windowMinutes: Int) {\n  activeUsers(filter: $filter, windowMinutes: $windowMinutes) {\n    count\n    windowMinutes\n    users {\n      userId\n      userName\n      lastSeen\n      events\n    }\n  }\n}": types.ActiveUsersDocument,
    "query Activity($filter: EventFilter, $interval: String!) {\n  activity(filter: $filter, interval: $interval) {\n    intervalMs\n    from\n    to\n    buckets {\n      time\n      count\n      users\n    }\n  }\n}": types.ActivityDocument,
    "query ActivityByUser($filter: EventFilter, $interval: String!) {\n  activity(filter: $filter, interval: $interval) {\n    intervalMs\n    byUser {\n      userId\n      userName\n      buckets {\n        time\n        count\n      }\n    }\n  }\n}": types.ActivityByUserDocument,
    "query AlertRule($id: ID!, $first: Int) {\n  alertRule(id: $id) {\n    ...AlertRuleFields\n    deliveries(first: $first) {\n      id\n      state\n      status\n      createdAt\n      attempts\n      statusCodes\n      lastError\n      nextAttemptAt\n      deliveredAt\n      log {\n        at\n        statusCode\n        error\n      }\n      payload\n    }\n  }\n}": types.AlertRuleDocument,
    "fragment AlertRuleFields on AlertRule {\n  id\n  name\n  kind\n  orgId\n  orgSlug\n  state\n  firingSince\n  lastFiredAt\n  lastResolvedAt\n  lastEvaluatedAt\n  value\n  windowMinutes\n  threshold\n  factor\n  filter\n  enabled\n  hasWebhook\n  webhookUrl\n  webhookSecret\n  createdBy\n}": types.AlertRuleFieldsFragmentDoc,
    "query AlertRules($states: [AlertState!]) {\n  alertRules(states: $states) {\n    ...AlertRuleFields\n  }\n}": types.AlertRulesDocument,
    "mutation CreateAlertRule($input: AlertRuleInput!) {\n  createAlertRule(input: $input) {\n    ...AlertRuleFields\n  }\n}": types.CreateAlertRuleDocument,
    "mutation DeleteAlertRule($id: ID!) {\n  deleteAlertRule(id: $id)\n}": types.DeleteAlertRuleDocument,
    "query Events($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {\n  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n    edges {\n      cursor\n      node {\n        id\n        scope\n        objName\n        objId\n        objVal\n        source\n        timestamp\n        count\n        duration\n        projectId\n        taskId\n        jobId\n        userId\n        userName\n        userEmail\n        orgId\n        orgSlug\n        payload\n        accessTokenId\n        requestId\n        ingestedAt\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.EventsDocument,
    "query ExceptionGroups($filter: EventFilter, $first: Int, $after: String, $orderBy: ExceptionGroupOrder) {\n  exceptionGroups(\n    filter: $filter\n    first: $first\n    after: $after\n    orderBy: $orderBy\n  ) {\n    edges {\n      cursor\n      node {\n        id\n        count\n        users\n        jobs\n        firstSeen\n        lastSeen\n        sources\n        title\n        topFrame\n        message\n        stack\n        lastEventId\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.ExceptionGroupsDocument,
    "query ExceptionReport($filter: EventFilter, $category: String, $messages: Int) {\n  exceptionReport(filter: $filter) {\n    from\n    to\n    previousFrom\n    totals {\n      count\n      previousCount\n      deltaPercent\n      users\n      previousUsers\n      usersDeltaPercent\n    }\n    bySource {\n      source\n      count\n      previousCount\n      deltaPercent\n    }\n    categories {\n      category\n      count\n      share\n    }\n    summary {\n      source\n      category\n      count\n      share\n      users\n      previousCount\n      deltaPercent\n      previousUsers\n    }\n    byDay {\n      day\n      category\n      count\n    }\n    topMessages(category: $category, first: $messages) {\n      category\n      message\n      source\n      count\n      users\n    }\n  }\n}": types.ExceptionReportDocument,
    "query Exceptions($filter: EventFilter, $first: Int, $after: String) {\n  exceptions(filter: $filter, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        timestamp\n        source\n        userId\n        userName\n        orgId\n        projectId\n        taskId\n        jobId\n        message\n        stack\n        event {\n          payload\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.ExceptionsDocument,
    "query ExceptionsByGroup($filter: EventFilter, $interval: String!, $groups: Int) {\n  exceptionsOverTime(filter: $filter, interval: $interval) {\n    intervalMs\n    buckets {\n      time\n      count\n    }\n    byGroup(first: $groups) {\n      groupId\n      count\n      buckets {\n        time\n        count\n        users\n      }\n    }\n  }\n}": types.ExceptionsByGroupDocument,
    "query ExceptionsOverTime($filter: EventFilter, $interval: String!) {\n  exceptionsOverTime(filter: $filter, interval: $interval) {\n    intervalMs\n    buckets {\n      time\n      count\n      users\n    }\n  }\n}": types.ExceptionsOverTimeDocument,
    "query ExportStatus($queryId: ID!) {\n  export(queryId: $queryId) {\n    queryId\n    status\n    format\n    includeExceptions\n    from\n    to\n    rowsWritten\n    rowsPlanned\n    bytesWritten\n    error\n    filename\n    downloadUrl\n    createdAt\n    startedAt\n    finishedAt\n    expiresAt\n  }\n}": types.ExportStatusDocument,
    "query FilterOptions($filter: EventFilter, $limit: Int) {\n  filterOptions(filter: $filter, limit: $limit) {\n    users {\n      id\n      name\n    }\n    orgs {\n      id\n      slug\n    }\n    projectIds\n    taskIds\n    jobIds\n    scopes\n    sources\n  }\n}": types.FilterOptionsDocument,
    "query GrafanaActiveUsersNow($filter: EventFilter!) {\n  activeUsers(filter: $filter, windowMinutes: 15) {\n    count\n  }\n}": types.GrafanaActiveUsersNowDocument,
    "query GrafanaActivity($filter: EventFilter!, $bucket: String!) {\n  activity(filter: $filter, interval: $bucket) {\n    buckets {\n      time\n      count\n      users\n    }\n  }\n}": types.GrafanaActivityDocument,
    "query GrafanaAlertRules($filter: EventFilter) {\n  alertRules(states: [FIRING], filter: $filter) {\n    name\n    kind\n    orgSlug\n    firingSince\n    value\n    threshold\n    windowMinutes\n  }\n}": types.GrafanaAlertRulesDocument,
    "query GrafanaEvents($filter: EventFilter!) {\n  events(filter: $filter, first: 1000, orderBy: TIMESTAMP_DESC) {\n    nodes {\n      timestamp\n      scope\n      objName\n      objId\n      objVal\n      source\n      count\n      duration\n      projectId\n      taskId\n      jobId\n      userId\n      userName\n      orgSlug\n      requestId\n      payload\n    }\n  }\n}": types.GrafanaEventsDocument,
    "query GrafanaExceptionCategories($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    categories(minCount: 1) {\n      category\n      count\n      share\n    }\n  }\n}": types.GrafanaExceptionCategoriesDocument,
    "query GrafanaExceptionMessages($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    topMessages(first: 200) {\n      category\n      message\n      source\n      count\n      users\n    }\n  }\n}": types.GrafanaExceptionMessagesDocument,
    "query GrafanaExceptionSources($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    bySource {\n      source\n      count\n      previousCount\n    }\n  }\n}": types.GrafanaExceptionSourcesDocument,
    "query GrafanaExceptionSummary($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    summary {\n      source\n      category\n      count\n      share\n      users\n      previousCount\n      deltaPercent\n      previousUsers\n    }\n  }\n}": types.GrafanaExceptionSummaryDocument,
    "query GrafanaExceptionTotals($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    totals {\n      count\n      deltaPercent\n      users\n      usersDeltaPercent\n    }\n  }\n}": types.GrafanaExceptionTotalsDocument,
    "query GrafanaExceptions($filter: EventFilter!) {\n  exceptions(filter: $filter, first: 1000) {\n    nodes {\n      timestamp\n      source\n      userId\n      userName\n      projectId\n      taskId\n      jobId\n      message\n      stack\n      event {\n        payload\n      }\n    }\n  }\n}": types.GrafanaExceptionsDocument,
    "query GrafanaExceptionsByDay($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    byDay {\n      day\n      category\n      count\n    }\n  }\n}": types.GrafanaExceptionsByDayDocument,
    "query GrafanaExceptionsOverTime($filter: EventFilter!, $bucket: String!) {\n  exceptionsOverTime(filter: $filter, interval: $bucket) {\n    buckets {\n      time\n      count\n    }\n  }\n}": types.GrafanaExceptionsOverTimeDocument,
    "query GrafanaFilterOptions($filter: EventFilter!) {\n  filterOptions(filter: $filter, limit: 1000) {\n    users {\n      id\n      name\n    }\n    orgs {\n      id\n      slug\n    }\n    projectIds\n    taskIds\n    jobIds\n    scopes\n    sources\n  }\n}": types.GrafanaFilterOptionsDocument,
    "query GrafanaIdleGaps($filter: EventFilter!) {\n  idleGaps(filter: $filter, groupBy: [], first: 1) {\n    buckets {\n      label\n      fromSeconds\n      gaps\n      hours\n    }\n    workingHoursAt {\n      idleSeconds\n      hours\n    }\n  }\n}": types.GrafanaIdleGapsDocument,
    "query GrafanaJobFlow($filter: EventFilter!) {\n  jobFlow(filter: $filter, first: 200) {\n    jobId\n    taskId\n    stage\n    state\n    assigneeId\n    hoursIn {\n      annotation\n      validation\n      acceptance\n    }\n    hoursInProgress\n    rejections\n    cycleHours\n    workingHoursIn {\n      annotation\n      validation\n      acceptance\n    }\n  }\n}": types.GrafanaJobFlowDocument,
    "query GrafanaPlatforms($filter: EventFilter!) {\n  platforms(filter: $filter) {\n    browsers {\n      name\n      users\n    }\n    operatingSystems {\n      name\n      users\n    }\n  }\n}": types.GrafanaPlatformsDocument,
    "query GrafanaProductivityLeaderboard($filter: EventFilter!, $idleSeconds: Int!) {\n  productivity(\n    filter: $filter\n    groupBy: [USER]\n    idleSeconds: $idleSeconds\n    first: 1000\n  ) {\n    userId\n    userName\n    objectsCreated\n    manualObjectsCreated\n    importedObjectsCreated\n    automaticObjectsCreated\n    objectsDeleted\n    workingHours\n    objectsPerHour\n    reworkRatio\n    undo\n    redo\n  }\n}": types.GrafanaProductivityLeaderboardDocument,
    "query GrafanaProductivityOverTime($filter: EventFilter!, $idleSeconds: Int!) {\n  productivity(\n    filter: $filter\n    groupBy: [USER, DAY]\n    idleSeconds: $idleSeconds\n    first: 1000\n  ) {\n    period\n    userId\n    userName\n    objectsPerHour\n  }\n}": types.GrafanaProductivityOverTimeDocument,
    "query GrafanaScopeDurations($filter: EventFilter!) {\n  scopeDurations(filter: $filter) {\n    scope\n    source\n    count\n    avgDuration\n    minDuration\n    maxDuration\n  }\n}": types.GrafanaScopeDurationsDocument,
    "query GrafanaUserActivity($filter: EventFilter!, $bucket: String!) {\n  activity(filter: $filter, interval: $bucket) {\n    byUserPoints {\n      time\n      user\n      count\n    }\n  }\n}": types.GrafanaUserActivityDocument,
    "query GrafanaWorkingTime($filter: EventFilter!) {\n  workingTime(filter: $filter, groupBy: [USER, PROJECT, TASK, JOB], first: 1000) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    hours\n    actions\n  }\n}": types.GrafanaWorkingTimeDocument,
    "query IdleGaps($filter: EventFilter, $groupBy: [ProductivityGroup!], $first: Int) {\n  idleGaps(filter: $filter, groupBy: $groupBy, first: $first) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    period\n    buckets {\n      fromSeconds\n      toSeconds\n      label\n      gaps\n      seconds\n      hours\n    }\n    workingHoursAt {\n      idleSeconds\n      hours\n    }\n  }\n}": types.IdleGapsDocument,
    "query JobDetails($id: ID!, $interval: String!, $from: DateTime, $to: DateTime) {\n  job(id: $id) {\n    id\n    workingTime {\n      milliseconds\n      hours\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n    activity(interval: $interval, from: $from, to: $to) {\n      time\n      count\n    }\n    events(first: 5) {\n      edges {\n        node {\n          id\n          scope\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n}": types.JobDetailsDocument,
    "query JobFlow($filter: EventFilter, $first: Int) {\n  jobFlow(filter: $filter, first: $first) {\n    jobId\n    taskId\n    projectId\n    stage\n    state\n    assigneeId\n    hoursIn {\n      annotation\n      validation\n      acceptance\n    }\n    hoursInProgress\n    rejections\n    firstValidationAt\n    acceptedAt\n    cycleHours\n    workingHoursIn {\n      annotation\n      validation\n      acceptance\n    }\n  }\n}": types.JobFlowDocument,
    "query JobFlowOfJob($id: ID!, $to: DateTime) {\n  job(id: $id) {\n    id\n    flow(to: $to) {\n      jobId\n      stage\n      state\n      assigneeId\n      rejections\n      acceptedAt\n      cycleHours\n      hoursIn {\n        annotation\n        validation\n        acceptance\n      }\n      transitions {\n        at\n        field\n        from\n        to\n        userId\n      }\n    }\n  }\n}": types.JobFlowOfJobDocument,
    "query JobsWithWorkingTime($filter: EventFilter, $first: Int) {\n  jobs(filter: $filter, first: $first) {\n    id\n    workingTime {\n      milliseconds\n      actions\n    }\n    lastEventAt\n  }\n}": types.JobsWithWorkingTimeDocument,
    "subscription LiveAlerts {\n  alerts {\n    id\n    state\n    ruleId\n    ruleName\n    kind\n    orgId\n    orgSlug\n    at\n    windowFrom\n    windowMinutes\n    value\n    threshold\n    text\n    link\n    payload\n  }\n}": types.LiveAlertsDocument,
    "subscription LiveEvents($filter: EventFilter) {\n  events(filter: $filter) {\n    id\n    scope\n    objName\n    objId\n    objVal\n    source\n    timestamp\n    count\n    duration\n    projectId\n    taskId\n    jobId\n    userId\n    userName\n    userEmail\n    orgId\n    orgSlug\n    payload\n    accessTokenId\n    requestId\n    ingestedAt\n    exceptionGroupId\n  }\n}": types.LiveEventsDocument,
    "subscription LiveExceptions($filter: EventFilter) {\n  exceptions(filter: $filter) {\n    id\n    timestamp\n    source\n    userId\n    userName\n    orgId\n    projectId\n    taskId\n    jobId\n    message\n    stack\n    groupId\n    event {\n      scope\n      requestId\n      ingestedAt\n      payload\n    }\n  }\n}": types.LiveExceptionsDocument,
    "mutation LogEvents($batch: ClientBatchInput!) {\n  logEvents(batch: $batch) {\n    __typename\n    ... on LogEventsSuccess {\n      stored\n      outcome\n      requestId\n    }\n    ... on LogEventsRejected {\n      message\n      errors {\n        index\n        field\n        message\n      }\n    }\n  }\n}": types.LogEventsDocument,
    "query Platforms($filter: EventFilter) {\n  platforms(filter: $filter) {\n    browsers {\n      name\n      users\n    }\n    operatingSystems {\n      name\n      users\n    }\n  }\n}": types.PlatformsDocument,
    "query Productivity($filter: EventFilter, $groupBy: [ProductivityGroup!], $idleSeconds: Int, $first: Int) {\n  productivity(\n    filter: $filter\n    groupBy: $groupBy\n    idleSeconds: $idleSeconds\n    first: $first\n  ) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    shapeType\n    period\n    objectsCreated\n    objectsUpdated\n    objectsDeleted\n    manualObjectsCreated\n    importedObjectsCreated\n    automaticObjectsCreated\n    workingHours\n    objectsPerHour\n    undo\n    redo\n    reworkRatio\n  }\n}": types.ProductivityDocument,
    "query ProjectDetails($id: ID!) {\n  project(id: $id) {\n    id\n    workingTime {\n      milliseconds\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n  }\n}": types.ProjectDetailsDocument,
    "query Quarantine($first: Int, $after: String, $reason: String) {\n  quarantine {\n    total\n    reasons {\n      reason\n      count\n      lastAt\n    }\n    events(first: $first, after: $after, reason: $reason) {\n      nodes {\n        id\n        receivedAt\n        path\n        reason\n        message\n        requestId\n        position\n        raw\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.QuarantineDocument,
    "query ScopeDurations($filter: EventFilter) {\n  scopeDurations(filter: $filter) {\n    scope\n    source\n    count\n    avgDuration\n    minDuration\n    maxDuration\n  }\n}": types.ScopeDurationsDocument,
    "mutation StartExport($filter: EventFilter, $format: ExportFormat, $includeExceptions: Boolean, $filename: String) {\n  startExport(\n    filter: $filter\n    format: $format\n    includeExceptions: $includeExceptions\n    filename: $filename\n  ) {\n    queryId\n    export {\n      status\n    }\n  }\n}": types.StartExportDocument,
    "query TaskDetails($id: ID!) {\n  task(id: $id) {\n    id\n    workingTime {\n      milliseconds\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n  }\n}": types.TaskDetailsDocument,
    "mutation TestAlertRule($id: ID!) {\n  testAlertRule(id: $id) {\n    id\n    state\n    status\n    attempts\n    statusCodes\n    lastError\n    payload\n  }\n}": types.TestAlertRuleDocument,
    "mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {\n  updateAlertRule(id: $id, input: $input) {\n    ...AlertRuleFields\n  }\n}": types.UpdateAlertRuleDocument,
    "query UserDetails($id: ID!, $from: DateTime, $to: DateTime) {\n  user(id: $id) {\n    id\n    name\n    workingTime(from: $from, to: $to) {\n      milliseconds\n      hours\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n  }\n}": types.UserDetailsDocument,
    "query Viewer {\n  viewer {\n    userId\n    username\n    role\n    orgSlug\n    orgRole\n    tokenKind\n    source\n    cvat {\n      privilege\n      superuser\n      analyticsAccess\n      credential\n      memberships {\n        orgId\n        slug\n        name\n        role\n      }\n      confirmedAt\n      freshUntil\n    }\n  }\n}": types.ViewerDocument,
    "query WebEvents($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {\n  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n    nodes {\n      id\n      timestamp\n      scope\n      source\n      objName\n      objId\n      objVal\n      count\n      duration\n      orgSlug\n      projectId\n      taskId\n      jobId\n      userId\n      userName\n      requestId\n      payload\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.WebEventsDocument,
    "query WebExceptions($filter: EventFilter, $first: Int, $after: String) {\n  exceptions(filter: $filter, first: $first, after: $after) {\n    nodes {\n      id\n      timestamp\n      source\n      userId\n      userName\n      orgId\n      projectId\n      taskId\n      jobId\n      message\n      stack\n      groupId\n      event {\n        requestId\n        payload\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.WebExceptionsDocument,
    "query WebFiringAlertRules($filter: EventFilter) {\n  alertRules(states: [FIRING], filter: $filter) {\n    id\n    name\n    kind\n    orgSlug\n    firingSince\n    value\n    threshold\n    windowMinutes\n  }\n}": types.WebFiringAlertRulesDocument,
    "query WebViewer {\n  viewer {\n    userId\n    username\n    role\n    orgSlug\n    orgRole\n    source\n    tokenKind\n    organizations {\n      id\n      slug\n      name\n      role\n    }\n  }\n}": types.WebViewerDocument,
    "query WorkingTime($filter: EventFilter, $groupBy: [WorkingTimeDimension!], $first: Int) {\n  workingTime(filter: $filter, groupBy: $groupBy, first: $first) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    milliseconds\n    hours\n    actions\n  }\n}": types.WorkingTimeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ActiveUsers($filter: EventFilter, $windowMinutes: Int) {\n  activeUsers(filter: $filter, windowMinutes: $windowMinutes) {\n    count\n    windowMinutes\n    users {\n      userId\n      userName\n      lastSeen\n      events\n    }\n  }\n}"): typeof import('./graphql').ActiveUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Activity($filter: EventFilter, $interval: String!) {\n  activity(filter: $filter, interval: $interval) {\n    intervalMs\n    from\n    to\n    buckets {\n      time\n      count\n      users\n    }\n  }\n}"): typeof import('./graphql').ActivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ActivityByUser($filter: EventFilter, $interval: String!) {\n  activity(filter: $filter, interval: $interval) {\n    intervalMs\n    byUser {\n      userId\n      userName\n      buckets {\n        time\n        count\n      }\n    }\n  }\n}"): typeof import('./graphql').ActivityByUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AlertRule($id: ID!, $first: Int) {\n  alertRule(id: $id) {\n    ...AlertRuleFields\n    deliveries(first: $first) {\n      id\n      state\n      status\n      createdAt\n      attempts\n      statusCodes\n      lastError\n      nextAttemptAt\n      deliveredAt\n      log {\n        at\n        statusCode\n        error\n      }\n      payload\n    }\n  }\n}"): typeof import('./graphql').AlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment AlertRuleFields on AlertRule {\n  id\n  name\n  kind\n  orgId\n  orgSlug\n  state\n  firingSince\n  lastFiredAt\n  lastResolvedAt\n  lastEvaluatedAt\n  value\n  windowMinutes\n  threshold\n  factor\n  filter\n  enabled\n  hasWebhook\n  webhookUrl\n  webhookSecret\n  createdBy\n}"): typeof import('./graphql').AlertRuleFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AlertRules($states: [AlertState!]) {\n  alertRules(states: $states) {\n    ...AlertRuleFields\n  }\n}"): typeof import('./graphql').AlertRulesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateAlertRule($input: AlertRuleInput!) {\n  createAlertRule(input: $input) {\n    ...AlertRuleFields\n  }\n}"): typeof import('./graphql').CreateAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteAlertRule($id: ID!) {\n  deleteAlertRule(id: $id)\n}"): typeof import('./graphql').DeleteAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Events($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {\n  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n    edges {\n      cursor\n      node {\n        id\n        scope\n        objName\n        objId\n        objVal\n        source\n        timestamp\n        count\n        duration\n        projectId\n        taskId\n        jobId\n        userId\n        userName\n        userEmail\n        orgId\n        orgSlug\n        payload\n        accessTokenId\n        requestId\n        ingestedAt\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').EventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ExceptionGroups($filter: EventFilter, $first: Int, $after: String, $orderBy: ExceptionGroupOrder) {\n  exceptionGroups(\n    filter: $filter\n    first: $first\n    after: $after\n    orderBy: $orderBy\n  ) {\n    edges {\n      cursor\n      node {\n        id\n        count\n        users\n        jobs\n        firstSeen\n        lastSeen\n        sources\n        title\n        topFrame\n        message\n        stack\n        lastEventId\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').ExceptionGroupsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ExceptionReport($filter: EventFilter, $category: String, $messages: Int) {\n  exceptionReport(filter: $filter) {\n    from\n    to\n    previousFrom\n    totals {\n      count\n      previousCount\n      deltaPercent\n      users\n      previousUsers\n      usersDeltaPercent\n    }\n    bySource {\n      source\n      count\n      previousCount\n      deltaPercent\n    }\n    categories {\n      category\n      count\n      share\n    }\n    summary {\n      source\n      category\n      count\n      share\n      users\n      previousCount\n      deltaPercent\n      previousUsers\n    }\n    byDay {\n      day\n      category\n      count\n    }\n    topMessages(category: $category, first: $messages) {\n      category\n      message\n      source\n      count\n      users\n    }\n  }\n}"): typeof import('./graphql').ExceptionReportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Exceptions($filter: EventFilter, $first: Int, $after: String) {\n  exceptions(filter: $filter, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        timestamp\n        source\n        userId\n        userName\n        orgId\n        projectId\n        taskId\n        jobId\n        message\n        stack\n        event {\n          payload\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').ExceptionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ExceptionsByGroup($filter: EventFilter, $interval: String!, $groups: Int) {\n  exceptionsOverTime(filter: $filter, interval: $interval) {\n    intervalMs\n    buckets {\n      time\n      count\n    }\n    byGroup(first: $groups) {\n      groupId\n      count\n      buckets {\n        time\n        count\n        users\n      }\n    }\n  }\n}"): typeof import('./graphql').ExceptionsByGroupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ExceptionsOverTime($filter: EventFilter, $interval: String!) {\n  exceptionsOverTime(filter: $filter, interval: $interval) {\n    intervalMs\n    buckets {\n      time\n      count\n      users\n    }\n  }\n}"): typeof import('./graphql').ExceptionsOverTimeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ExportStatus($queryId: ID!) {\n  export(queryId: $queryId) {\n    queryId\n    status\n    format\n    includeExceptions\n    from\n    to\n    rowsWritten\n    rowsPlanned\n    bytesWritten\n    error\n    filename\n    downloadUrl\n    createdAt\n    startedAt\n    finishedAt\n    expiresAt\n  }\n}"): typeof import('./graphql').ExportStatusDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query FilterOptions($filter: EventFilter, $limit: Int) {\n  filterOptions(filter: $filter, limit: $limit) {\n    users {\n      id\n      name\n    }\n    orgs {\n      id\n      slug\n    }\n    projectIds\n    taskIds\n    jobIds\n    scopes\n    sources\n  }\n}"): typeof import('./graphql').FilterOptionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaActiveUsersNow($filter: EventFilter!) {\n  activeUsers(filter: $filter, windowMinutes: 15) {\n    count\n  }\n}"): typeof import('./graphql').GrafanaActiveUsersNowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaActivity($filter: EventFilter!, $bucket: String!) {\n  activity(filter: $filter, interval: $bucket) {\n    buckets {\n      time\n      count\n      users\n    }\n  }\n}"): typeof import('./graphql').GrafanaActivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaAlertRules($filter: EventFilter) {\n  alertRules(states: [FIRING], filter: $filter) {\n    name\n    kind\n    orgSlug\n    firingSince\n    value\n    threshold\n    windowMinutes\n  }\n}"): typeof import('./graphql').GrafanaAlertRulesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaEvents($filter: EventFilter!) {\n  events(filter: $filter, first: 1000, orderBy: TIMESTAMP_DESC) {\n    nodes {\n      timestamp\n      scope\n      objName\n      objId\n      objVal\n      source\n      count\n      duration\n      projectId\n      taskId\n      jobId\n      userId\n      userName\n      orgSlug\n      requestId\n      payload\n    }\n  }\n}"): typeof import('./graphql').GrafanaEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaExceptionCategories($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    categories(minCount: 1) {\n      category\n      count\n      share\n    }\n  }\n}"): typeof import('./graphql').GrafanaExceptionCategoriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaExceptionMessages($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    topMessages(first: 200) {\n      category\n      message\n      source\n      count\n      users\n    }\n  }\n}"): typeof import('./graphql').GrafanaExceptionMessagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaExceptionSources($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    bySource {\n      source\n      count\n      previousCount\n    }\n  }\n}"): typeof import('./graphql').GrafanaExceptionSourcesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaExceptionSummary($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    summary {\n      source\n      category\n      count\n      share\n      users\n      previousCount\n      deltaPercent\n      previousUsers\n    }\n  }\n}"): typeof import('./graphql').GrafanaExceptionSummaryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaExceptionTotals($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    totals {\n      count\n      deltaPercent\n      users\n      usersDeltaPercent\n    }\n  }\n}"): typeof import('./graphql').GrafanaExceptionTotalsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaExceptions($filter: EventFilter!) {\n  exceptions(filter: $filter, first: 1000) {\n    nodes {\n      timestamp\n      source\n      userId\n      userName\n      projectId\n      taskId\n      jobId\n      message\n      stack\n      event {\n        payload\n      }\n    }\n  }\n}"): typeof import('./graphql').GrafanaExceptionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaExceptionsByDay($filter: EventFilter!) {\n  exceptionReport(filter: $filter) {\n    byDay {\n      day\n      category\n      count\n    }\n  }\n}"): typeof import('./graphql').GrafanaExceptionsByDayDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaExceptionsOverTime($filter: EventFilter!, $bucket: String!) {\n  exceptionsOverTime(filter: $filter, interval: $bucket) {\n    buckets {\n      time\n      count\n    }\n  }\n}"): typeof import('./graphql').GrafanaExceptionsOverTimeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaFilterOptions($filter: EventFilter!) {\n  filterOptions(filter: $filter, limit: 1000) {\n    users {\n      id\n      name\n    }\n    orgs {\n      id\n      slug\n    }\n    projectIds\n    taskIds\n    jobIds\n    scopes\n    sources\n  }\n}"): typeof import('./graphql').GrafanaFilterOptionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaIdleGaps($filter: EventFilter!) {\n  idleGaps(filter: $filter, groupBy: [], first: 1) {\n    buckets {\n      label\n      fromSeconds\n      gaps\n      hours\n    }\n    workingHoursAt {\n      idleSeconds\n      hours\n    }\n  }\n}"): typeof import('./graphql').GrafanaIdleGapsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaJobFlow($filter: EventFilter!) {\n  jobFlow(filter: $filter, first: 200) {\n    jobId\n    taskId\n    stage\n    state\n    assigneeId\n    hoursIn {\n      annotation\n      validation\n      acceptance\n    }\n    hoursInProgress\n    rejections\n    cycleHours\n    workingHoursIn {\n      annotation\n      validation\n      acceptance\n    }\n  }\n}"): typeof import('./graphql').GrafanaJobFlowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaPlatforms($filter: EventFilter!) {\n  platforms(filter: $filter) {\n    browsers {\n      name\n      users\n    }\n    operatingSystems {\n      name\n      users\n    }\n  }\n}"): typeof import('./graphql').GrafanaPlatformsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaProductivityLeaderboard($filter: EventFilter!, $idleSeconds: Int!) {\n  productivity(\n    filter: $filter\n    groupBy: [USER]\n    idleSeconds: $idleSeconds\n    first: 1000\n  ) {\n    userId\n    userName\n    objectsCreated\n    manualObjectsCreated\n    importedObjectsCreated\n    automaticObjectsCreated\n    objectsDeleted\n    workingHours\n    objectsPerHour\n    reworkRatio\n    undo\n    redo\n  }\n}"): typeof import('./graphql').GrafanaProductivityLeaderboardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaProductivityOverTime($filter: EventFilter!, $idleSeconds: Int!) {\n  productivity(\n    filter: $filter\n    groupBy: [USER, DAY]\n    idleSeconds: $idleSeconds\n    first: 1000\n  ) {\n    period\n    userId\n    userName\n    objectsPerHour\n  }\n}"): typeof import('./graphql').GrafanaProductivityOverTimeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaScopeDurations($filter: EventFilter!) {\n  scopeDurations(filter: $filter) {\n    scope\n    source\n    count\n    avgDuration\n    minDuration\n    maxDuration\n  }\n}"): typeof import('./graphql').GrafanaScopeDurationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaUserActivity($filter: EventFilter!, $bucket: String!) {\n  activity(filter: $filter, interval: $bucket) {\n    byUserPoints {\n      time\n      user\n      count\n    }\n  }\n}"): typeof import('./graphql').GrafanaUserActivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query GrafanaWorkingTime($filter: EventFilter!) {\n  workingTime(filter: $filter, groupBy: [USER, PROJECT, TASK, JOB], first: 1000) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    hours\n    actions\n  }\n}"): typeof import('./graphql').GrafanaWorkingTimeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query IdleGaps($filter: EventFilter, $groupBy: [ProductivityGroup!], $first: Int) {\n  idleGaps(filter: $filter, groupBy: $groupBy, first: $first) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    period\n    buckets {\n      fromSeconds\n      toSeconds\n      label\n      gaps\n      seconds\n      hours\n    }\n    workingHoursAt {\n      idleSeconds\n      hours\n    }\n  }\n}"): typeof import('./graphql').IdleGapsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query JobDetails($id: ID!, $interval: String!, $from: DateTime, $to: DateTime) {\n  job(id: $id) {\n    id\n    workingTime {\n      milliseconds\n      hours\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n    activity(interval: $interval, from: $from, to: $to) {\n      time\n      count\n    }\n    events(first: 5) {\n      edges {\n        node {\n          id\n          scope\n        }\n      }\n      pageInfo {\n        hasNextPage\n      }\n    }\n  }\n}"): typeof import('./graphql').JobDetailsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query JobFlow($filter: EventFilter, $first: Int) {\n  jobFlow(filter: $filter, first: $first) {\n    jobId\n    taskId\n    projectId\n    stage\n    state\n    assigneeId\n    hoursIn {\n      annotation\n      validation\n      acceptance\n    }\n    hoursInProgress\n    rejections\n    firstValidationAt\n    acceptedAt\n    cycleHours\n    workingHoursIn {\n      annotation\n      validation\n      acceptance\n    }\n  }\n}"): typeof import('./graphql').JobFlowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query JobFlowOfJob($id: ID!, $to: DateTime) {\n  job(id: $id) {\n    id\n    flow(to: $to) {\n      jobId\n      stage\n      state\n      assigneeId\n      rejections\n      acceptedAt\n      cycleHours\n      hoursIn {\n        annotation\n        validation\n        acceptance\n      }\n      transitions {\n        at\n        field\n        from\n        to\n        userId\n      }\n    }\n  }\n}"): typeof import('./graphql').JobFlowOfJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query JobsWithWorkingTime($filter: EventFilter, $first: Int) {\n  jobs(filter: $filter, first: $first) {\n    id\n    workingTime {\n      milliseconds\n      actions\n    }\n    lastEventAt\n  }\n}"): typeof import('./graphql').JobsWithWorkingTimeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription LiveAlerts {\n  alerts {\n    id\n    state\n    ruleId\n    ruleName\n    kind\n    orgId\n    orgSlug\n    at\n    windowFrom\n    windowMinutes\n    value\n    threshold\n    text\n    link\n    payload\n  }\n}"): typeof import('./graphql').LiveAlertsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription LiveEvents($filter: EventFilter) {\n  events(filter: $filter) {\n    id\n    scope\n    objName\n    objId\n    objVal\n    source\n    timestamp\n    count\n    duration\n    projectId\n    taskId\n    jobId\n    userId\n    userName\n    userEmail\n    orgId\n    orgSlug\n    payload\n    accessTokenId\n    requestId\n    ingestedAt\n    exceptionGroupId\n  }\n}"): typeof import('./graphql').LiveEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription LiveExceptions($filter: EventFilter) {\n  exceptions(filter: $filter) {\n    id\n    timestamp\n    source\n    userId\n    userName\n    orgId\n    projectId\n    taskId\n    jobId\n    message\n    stack\n    groupId\n    event {\n      scope\n      requestId\n      ingestedAt\n      payload\n    }\n  }\n}"): typeof import('./graphql').LiveExceptionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LogEvents($batch: ClientBatchInput!) {\n  logEvents(batch: $batch) {\n    __typename\n    ... on LogEventsSuccess {\n      stored\n      outcome\n      requestId\n    }\n    ... on LogEventsRejected {\n      message\n      errors {\n        index\n        field\n        message\n      }\n    }\n  }\n}"): typeof import('./graphql').LogEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Platforms($filter: EventFilter) {\n  platforms(filter: $filter) {\n    browsers {\n      name\n      users\n    }\n    operatingSystems {\n      name\n      users\n    }\n  }\n}"): typeof import('./graphql').PlatformsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Productivity($filter: EventFilter, $groupBy: [ProductivityGroup!], $idleSeconds: Int, $first: Int) {\n  productivity(\n    filter: $filter\n    groupBy: $groupBy\n    idleSeconds: $idleSeconds\n    first: $first\n  ) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    shapeType\n    period\n    objectsCreated\n    objectsUpdated\n    objectsDeleted\n    manualObjectsCreated\n    importedObjectsCreated\n    automaticObjectsCreated\n    workingHours\n    objectsPerHour\n    undo\n    redo\n    reworkRatio\n  }\n}"): typeof import('./graphql').ProductivityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProjectDetails($id: ID!) {\n  project(id: $id) {\n    id\n    workingTime {\n      milliseconds\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n  }\n}"): typeof import('./graphql').ProjectDetailsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Quarantine($first: Int, $after: String, $reason: String) {\n  quarantine {\n    total\n    reasons {\n      reason\n      count\n      lastAt\n    }\n    events(first: $first, after: $after, reason: $reason) {\n      nodes {\n        id\n        receivedAt\n        path\n        reason\n        message\n        requestId\n        position\n        raw\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): typeof import('./graphql').QuarantineDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ScopeDurations($filter: EventFilter) {\n  scopeDurations(filter: $filter) {\n    scope\n    source\n    count\n    avgDuration\n    minDuration\n    maxDuration\n  }\n}"): typeof import('./graphql').ScopeDurationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation StartExport($filter: EventFilter, $format: ExportFormat, $includeExceptions: Boolean, $filename: String) {\n  startExport(\n    filter: $filter\n    format: $format\n    includeExceptions: $includeExceptions\n    filename: $filename\n  ) {\n    queryId\n    export {\n      status\n    }\n  }\n}"): typeof import('./graphql').StartExportDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query TaskDetails($id: ID!) {\n  task(id: $id) {\n    id\n    workingTime {\n      milliseconds\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n  }\n}"): typeof import('./graphql').TaskDetailsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation TestAlertRule($id: ID!) {\n  testAlertRule(id: $id) {\n    id\n    state\n    status\n    attempts\n    statusCodes\n    lastError\n    payload\n  }\n}"): typeof import('./graphql').TestAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateAlertRule($id: ID!, $input: AlertRuleInput!) {\n  updateAlertRule(id: $id, input: $input) {\n    ...AlertRuleFields\n  }\n}"): typeof import('./graphql').UpdateAlertRuleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query UserDetails($id: ID!, $from: DateTime, $to: DateTime) {\n  user(id: $id) {\n    id\n    name\n    workingTime(from: $from, to: $to) {\n      milliseconds\n      hours\n      actions\n    }\n    firstEventAt\n    lastEventAt\n    eventCount\n  }\n}"): typeof import('./graphql').UserDetailsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Viewer {\n  viewer {\n    userId\n    username\n    role\n    orgSlug\n    orgRole\n    tokenKind\n    source\n    cvat {\n      privilege\n      superuser\n      analyticsAccess\n      credential\n      memberships {\n        orgId\n        slug\n        name\n        role\n      }\n      confirmedAt\n      freshUntil\n    }\n  }\n}"): typeof import('./graphql').ViewerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query WebEvents($filter: EventFilter, $first: Int, $after: String, $orderBy: EventOrder) {\n  events(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {\n    nodes {\n      id\n      timestamp\n      scope\n      source\n      objName\n      objId\n      objVal\n      count\n      duration\n      orgSlug\n      projectId\n      taskId\n      jobId\n      userId\n      userName\n      requestId\n      payload\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').WebEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query WebExceptions($filter: EventFilter, $first: Int, $after: String) {\n  exceptions(filter: $filter, first: $first, after: $after) {\n    nodes {\n      id\n      timestamp\n      source\n      userId\n      userName\n      orgId\n      projectId\n      taskId\n      jobId\n      message\n      stack\n      groupId\n      event {\n        requestId\n        payload\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql').WebExceptionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query WebFiringAlertRules($filter: EventFilter) {\n  alertRules(states: [FIRING], filter: $filter) {\n    id\n    name\n    kind\n    orgSlug\n    firingSince\n    value\n    threshold\n    windowMinutes\n  }\n}"): typeof import('./graphql').WebFiringAlertRulesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query WebViewer {\n  viewer {\n    userId\n    username\n    role\n    orgSlug\n    orgRole\n    source\n    tokenKind\n    organizations {\n      id\n      slug\n      name\n      role\n    }\n  }\n}"): typeof import('./graphql').WebViewerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query WorkingTime($filter: EventFilter, $groupBy: [WorkingTimeDimension!], $first: Int) {\n  workingTime(filter: $filter, groupBy: $groupBy, first: $first) {\n    userId\n    userName\n    projectId\n    taskId\n    jobId\n    milliseconds\n    hours\n    actions\n  }\n}"): typeof import('./graphql').WorkingTimeDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
