/** A ticket event as Veritix' /check-fraud receives it: features of one purchase, all optional. */
export interface PurchaseFeatures {
  ticket_id?: string;
  user_id?: string;
  tickets_per_txn?: number;
  txns_per_min?: number;
  avg_price_ratio?: number;
  account_age_days?: number;
  zip_mismatch?: number;
  device_changes?: number;
}

interface FeatureRule {
  name: string;
  fires(e: PurchaseFeatures): boolean;
}

// One decision function per rule. Thresholds are those of the live rules' spirit:
// a bulk buy is 8+ tickets, a new account is under a week old.
const highVolumePurchase = (e: PurchaseFeatures) => (e.tickets_per_txn ?? 0) >= 8;
const newAccountBulkBuy = (e: PurchaseFeatures) =>
  e.account_age_days !== undefined && e.account_age_days < 7 && (e.tickets_per_txn ?? 0) >= 4;
const rapidFirePurchases = (e: PurchaseFeatures) => (e.txns_per_min ?? 0) > 10;
const deviceHopping = (e: PurchaseFeatures) => (e.device_changes ?? 0) > 5;
const resalePriceGouging = (e: PurchaseFeatures) => (e.avg_price_ratio ?? 0) >= 3;

export const FEATURE_RULES: readonly FeatureRule[] = [
  { name: 'high_volume_purchase', fires: highVolumePurchase },
  { name: 'new_account_bulk_buy', fires: newAccountBulkBuy },
  { name: 'rapid_fire_purchases', fires: rapidFirePurchases },
  { name: 'device_hopping', fires: deviceHopping },
  { name: 'resale_price_gouging', fires: resalePriceGouging },
];

/** Names of the rules any of the events triggers, in rule order, each once. Stateless: nothing is stored. */
export function triggeredRules(events: PurchaseFeatures[]): string[] {
  return FEATURE_RULES.filter((r) => events.some((e) => r.fires(e))).map((r) => r.name);
}
