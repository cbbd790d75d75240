import { EVENT_CSV_HEADER, EVENTS_PER_IMPORT_MAX } from '../../domain/catalog/event-csv.js';
import { AUTH_ERRORS, documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/catalog-import.ts, with their OpenAPI descriptions and error tables.

export const docs = documentErrors(
  `Operator or admin. Body \`text/csv\` with the header \`${EVENT_CSV_HEADER.join(',')}\`, one event per record (quote fields ` +
    'that hold commas). `event_date` ISO 8601 with a zone, in the future; `event_type` one of the event types (empty: other); ' +
    "`city` empty for the venue's city; `prices` like `CAT1=350.00;CAT2=200`. The venue is the hall's. Every bad record is " +
    `named by its line in \`details\`; nothing is imported unless the whole file is valid. At most ${EVENTS_PER_IMPORT_MAX} events.`,
  [
    ...AUTH_ERRORS,
    [
      'FORBIDDEN',
      'Caller is not an operator or admin, or the file names a hall of a venue an operator is not assigned to (each such line in details)',
    ],
    ['VALIDATION_ERROR', 'Wrong header, bad records (columns, date, type, prices), no events, too many'],
    ['HALL_NOT_FOUND', 'A record names a hall that does not exist'],
  ],
);
