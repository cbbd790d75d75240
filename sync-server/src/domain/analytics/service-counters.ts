import { Counter, Registry } from 'prom-client';

/**
 * Counters of the Veritix services that happen in this process (QR images made,
 * credentials checked, fraud rule hits recorded). Built once per server in the
 * composition root and exposed on /metrics next to the HTTP metrics; like those
 * they are per instance (sum them across instances in PromQL).
 */
export class ServiceCounters {
  readonly registry = new Registry();
  readonly qrGenerations = new Counter({
    name: 'qr_generations_total',
    help: 'QR images of ticket credentials generated (POST /api/generate-qr, /api/qr/generate)',
    registers: [this.registry],
  });
  readonly qrValidations = new Counter({
    name: 'qr_validations_total',
    help: 'Ticket credentials checked without check-in (POST /api/validate-qr, /api/qr/verify), by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly fraudDetections = new Counter({
    name: 'fraud_detections_total',
    help: 'Fraud flags recorded by the live rules (each hit once across instances), by rule',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });
}
