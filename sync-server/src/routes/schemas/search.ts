import { SEARCH_LIMIT } from '../../domain/search/search-events.js';
import { AUTH_ERRORS, documentErrors } from '../../http/error-docs.js';

// Request and response schemas of routes/search.ts, with their OpenAPI descriptions and error tables.

export const tags = ['Search (Veritix)'];
export const SEARCHES_PER_MINUTE = 60;

export const docs = {
  search: documentErrors(
    `Public. Natural-language search over upcoming events (at most ${SEARCH_LIMIT}): date phrases ("this weekend", "next Friday", ` +
      '"in December", UTC days, weeks from Monday), event types and their usual words ("concert", "play", "football"), places ' +
      '(venue names and cities) filter; the remaining words are full-text searched (PostgreSQL, English stemming, websearch ' +
      'syntax: quotes, `or`, `-word`) over event name, type, city, description and venue, ranked by relevance then date. ' +
      'No match is an empty list. `price` is the lowest price (SGD), `capacity` the number of seats. ' +
      `${SEARCHES_PER_MINUTE} searches per minute per client.`,
    [
      ['VALIDATION_ERROR', 'query missing, blank or longer than 200 characters'],
      ['RATE_LIMITED', 'Too many searches from this client'],
    ],
  ),
  recommend: documentErrors(
    'Up to three upcoming events for a user: item-to-item collaborative filtering over confirmed purchases and completed ' +
      'transfers, computed in SQL, with the most popular events filling the slots it cannot. Never a past event or one the ' +
      'user already holds. The user themself (access token) or a service key.',
    [
      ...AUTH_ERRORS,
      ['UNAUTHORIZED', 'Wrong service key'],
      ['FORBIDDEN', 'user_id is not the caller'],
      ['VALIDATION_ERROR', 'user_id is not a UUID'],
      ['USER_NOT_FOUND', 'No such user'],
    ],
  ),
};
