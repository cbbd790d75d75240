import { z } from 'zod';

// Request and response schemas of routes/health.ts, with their OpenAPI descriptions and error tables.

export const Health = z
  .object({
    status: z.enum(['healthy', 'unhealthy']),
    service: z.string(),
    timestamp: z.string(),
    checks: z.object({ database: z.enum(['connected', 'disconnected']) }),
  })
  .meta({ id: 'Health' });
