import { AUTH_ERRORS, documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/reports.ts, with their OpenAPI descriptions and error tables.

export const docs = documentErrors(
  'Operator or service key. A report stored by POST /api/generate-daily-report (its `report_path`), as it was generated: ' +
    '`text/csv` or `application/json`, with a download file name. Reports live in PostgreSQL, so every instance serves them. ' +
    "A report keeps the venues it covers: an operator reads only reports of their own venues (not an admin's platform-wide one).",
  [
    ...AUTH_ERRORS,
    ['UNAUTHORIZED', 'Wrong service key'],
    ['FORBIDDEN', 'Token of a role below operator, or the report covers venues the operator is not assigned to'],
    ['INVALID_UUID', 'id is not a UUID'],
    ['REPORT_NOT_FOUND', 'No report with this id'],
  ],
);
