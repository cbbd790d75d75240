import type { AppContext } from '../context.js';
import { insertSeatBlocks, rowLabels } from '../domain/catalog/seat-blocks.js';
import type { EventType } from '../domain/catalog/event-types.js';
import { withTransaction } from './pool.js';

interface CatalogEvent {
  name: string;
  type: EventType;
  description: string;
  /** The stadium's or the theatre's showcase hall (HALL-A and HALL-B, which gates and their tests use, stay as seeded). */
  hall: 'HALL-C' | 'HALL-D';
  /** Days from the seeding day; 1-7 hold one event each, so every coming weekend has two. */
  day: number;
  /** Premium row A, standard rows B-C, in cents. */
  prices: [number, number];
}

export const CATALOG_EVENTS: readonly CatalogEvent[] = [
  {
    name: 'Blue Notes Trio: Jazz at the Esplanade',
    type: 'music',
    hall: 'HALL-D',
    day: 1,
    prices: [68_00, 38_00],
    description: 'Late-night jazz standards and bebop from a Singapore piano trio.',
  },
  {
    name: 'Futsal Championship Final',
    type: 'sport',
    hall: 'HALL-C',
    day: 2,
    prices: [45_00, 25_00],
    description: 'The national futsal league final: two unbeaten clubs, one trophy.',
  },
  {
    name: 'Laugh Out Loud: Stand-up Showcase',
    type: 'comedy',
    hall: 'HALL-D',
    day: 3,
    prices: [55_00, 35_00],
    description: 'Five comedians, one microphone: observational stand-up about island life.',
  },
  {
    name: 'Swan Lake by the Singapore Ballet',
    type: 'dance',
    hall: 'HALL-D',
    day: 4,
    prices: [120_00, 70_00],
    description: "Tchaikovsky's ballet with full orchestra and corps de ballet.",
  },
  {
    name: 'Taylor Tribute: The Eras Night',
    type: 'music',
    hall: 'HALL-C',
    day: 5,
    prices: [150_00, 90_00],
    description: 'A tribute band plays the Taylor Swift songbook, era by era.',
  },
  {
    name: 'Badminton Masters Exhibition',
    type: 'sport',
    hall: 'HALL-C',
    day: 6,
    prices: [60_00, 30_00],
    description: 'World-ranked shuttlers in exhibition singles and doubles.',
  },
  {
    name: 'Peter Pan Family Matinee',
    type: 'family',
    hall: 'HALL-D',
    day: 7,
    prices: [40_00, 25_00],
    description: 'An afternoon musical adventure to Neverland for children and parents.',
  },
  {
    name: 'Afrobeats Live Singapore',
    type: 'music',
    hall: 'HALL-C',
    day: 9,
    prices: [110_00, 65_00],
    description: 'A night of Afrobeats and amapiano with DJs from Lagos and London.',
  },
  {
    name: 'Hamlet by the Esplanade Players',
    type: 'theatre',
    hall: 'HALL-D',
    day: 11,
    prices: [85_00, 50_00],
    description: "Shakespeare's tragedy in a modern-dress staging.",
  },
  {
    name: 'Tech Futures: AI and Cities',
    type: 'talk',
    hall: 'HALL-C',
    day: 13,
    prices: [90_00, 40_00],
    description: 'Talks and panels on artificial intelligence in urban planning.',
  },
  {
    name: 'K-Pop Dance Night',
    type: 'dance',
    hall: 'HALL-C',
    day: 15,
    prices: [130_00, 80_00],
    description: 'Cover dance crews perform K-pop choreography, with a fan dance-off.',
  },
  {
    name: 'Slingers vs Hong Kong: Basketball',
    type: 'sport',
    hall: 'HALL-C',
    day: 17,
    prices: [70_00, 35_00],
    description: 'Professional basketball: the Singapore Slingers host Hong Kong.',
  },
  {
    name: 'The Magic Flute',
    type: 'theatre',
    hall: 'HALL-D',
    day: 19,
    prices: [140_00, 80_00],
    description: "Mozart's opera sung in German with English surtitles.",
  },
  {
    name: 'Comedy Gala Night',
    type: 'comedy',
    hall: 'HALL-C',
    day: 21,
    prices: [75_00, 45_00],
    description: 'The festival gala: headline comedians from Asia and Australia.',
  },
  {
    name: 'Symphony Under the Dome: Mahler 5',
    type: 'music',
    hall: 'HALL-D',
    day: 24,
    prices: [95_00, 55_00],
    description: 'The symphony orchestra plays Mahler, classical music at its grandest.',
  },
  {
    name: "Kids' Science Show",
    type: 'family',
    hall: 'HALL-D',
    day: 27,
    prices: [30_00, 20_00],
    description: 'Explosions, slime and liquid nitrogen: science on stage for children.',
  },
  {
    name: 'Indie Rock Weekender',
    type: 'music',
    hall: 'HALL-C',
    day: 31,
    prices: [100_00, 60_00],
    description: 'Six indie rock bands from across Southeast Asia.',
  },
  {
    name: 'Flamenco Passion',
    type: 'dance',
    hall: 'HALL-D',
    day: 34,
    prices: [90_00, 50_00],
    description: 'Flamenco dance and guitar from a company from Seville.',
  },
  {
    name: 'Esports Arena: Valorant Finals',
    type: 'sport',
    hall: 'HALL-C',
    day: 38,
    prices: [50_00, 25_00],
    description: 'The regional esports finals live on the big screen.',
  },
  {
    name: 'Author Talk: Writing the City',
    type: 'talk',
    hall: 'HALL-D',
    day: 42,
    prices: [25_00, 15_00],
    description: 'Novelists talk about Singapore as a setting for fiction.',
  },
  {
    name: 'Fight Night: Boxing',
    type: 'sport',
    hall: 'HALL-C',
    day: 47,
    prices: [160_00, 80_00],
    description: 'Title bouts in professional boxing, undercard from 7 pm.',
  },
  {
    name: 'Carols by Candlelight',
    type: 'music',
    hall: 'HALL-D',
    day: 53,
    prices: [45_00, 30_00],
    description: 'Choirs sing Christmas carols, audience joins in.',
  },
];

const DAY = 24 * 3600 * 1000;
const SHOW_HOUR_UTC = 12; // 20:00 in Singapore

/**
 * The demo's showcase catalogue: varied upcoming events across the two demo
 * venues, so search and recommendations have something to work on. Added next
 * to the base demo seed (which tests rely on as it is); idempotent by event name.
 * Needs the base seed's halls.
 */
export async function seedDemoCatalog(ctx: Pick<AppContext, 'pool' | 'now'>): Promise<{ created: number }> {
  return withTransaction(ctx.pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock(742002)');
    // Each showcase hall sits in the venue of a demo hall: HALL-C with HALL-A (stadium), HALL-D with HALL-B (theatre).
    await db.query(
      `INSERT INTO halls (id, venue_id, name)
       SELECT v.code, h.venue_id, v.name FROM (VALUES ('HALL-C', 'HALL-A', 'Concourse Stage'), ('HALL-D', 'HALL-B', 'Studio Theatre')) AS v(code, beside, name)
         JOIN halls h ON h.id = v.beside
       ON CONFLICT (id) DO NOTHING`,
    );
    const { rows: halls } = await db.query<{ id: string; venue_id: string }>(
      "SELECT id, venue_id FROM halls WHERE id IN ('HALL-C', 'HALL-D')",
    );
    const venueOf = new Map(halls.map((h) => [h.id, h.venue_id]));
    if (venueOf.size < 2) throw new Error('seedDemoCatalog needs the demo halls HALL-A and HALL-B (run the demo seed first)');
    const { rows: present } = await db.query<{ name: string }>('SELECT name FROM events WHERE name = ANY($1)', [
      CATALOG_EVENTS.map((e) => e.name),
    ]);
    const have = new Set(present.map((r) => r.name));
    const today = Math.floor(ctx.now() / DAY) * DAY;
    let created = 0;
    for (const e of CATALOG_EVENTS) {
      if (have.has(e.name)) continue;
      const at = new Date(today + e.day * DAY + SHOW_HOUR_UTC * 3600_000);
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO events (venue_id, hall_id, name, event_date, event_type, description, city)
         VALUES ($1, $2, $3, $4, $5, $6, 'Singapore') RETURNING id`,
        [venueOf.get(e.hall), e.hall, e.name, at, e.type, e.description],
      );
      const id = rows[0]!.id;
      await db.query("INSERT INTO event_categories (event_id, category, price_cents) VALUES ($1, 'PREMIUM', $2), ($1, 'STANDARD', $3)", [
        id,
        ...e.prices,
      ]);
      await insertSeatBlocks(db, id, [
        { rows: rowLabels(1), seatsPerRow: 30, category: 'PREMIUM' },
        { rows: rowLabels(3, 1), seatsPerRow: 30, category: 'STANDARD' },
      ]);
      created++;
    }
    return { created };
  });
}
