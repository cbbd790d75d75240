import { z } from 'zod';

// Request and response schemas of routes/otp.ts, with their OpenAPI descriptions and error tables.

export const VerifyOtpBody = z.object({
  user_id: z.uuid().optional().describe("Optional; must be the token's user"),
  otp_code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code from the SMS'),
  context: z.enum(['purchase', 'transfer']).describe('Which flow the code belongs to'),
  reference_id: z.uuid().describe('order_id (purchase) or transfer_id (transfer)'),
});

export const Verified = z.object({ verified: z.literal(true), message: z.string() });
