// The codec lives in @ticketgate/protocol so the fan app (a browser bundle) and the verifier share one implementation.
export * from '@ticketgate/protocol/base32';
