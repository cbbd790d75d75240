/** What kind of show an event is: searched by, and shown to, fans. */
export const EVENT_TYPES = ['music', 'theatre', 'sport', 'comedy', 'dance', 'family', 'talk', 'other'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Words people use for each type (lower case, singular and plural), so
 * "concerts", "plays" or "football" find music, theatre and sport.
 */
export const EVENT_TYPE_WORDS: Record<Exclude<EventType, 'other'>, readonly string[]> = {
  music: [
    'music',
    'musical',
    'concert',
    'concerts',
    'gig',
    'gigs',
    'band',
    'bands',
    'orchestra',
    'jazz',
    'rock',
    'pop',
    'classical',
    'afrobeats',
    'festival',
  ],
  theatre: ['theatre', 'theater', 'theatres', 'play', 'plays', 'drama', 'opera', 'stage'],
  sport: ['sport', 'sports', 'match', 'matches', 'game', 'games', 'football', 'basketball', 'tennis', 'badminton', 'boxing', 'esports'],
  comedy: ['comedy', 'comedian', 'comedians', 'standup', 'stand-up', 'funny'],
  dance: ['dance', 'dancing', 'ballet'],
  family: ['family', 'kids', 'children', 'child'],
  talk: ['talk', 'talks', 'lecture', 'lectures', 'conference', 'seminar'],
};
