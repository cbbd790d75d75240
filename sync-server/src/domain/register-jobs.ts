// Imported for its side effects: each domain module registers its background jobs here.
import './auth/prune-tokens.js';
import './purchase/sweep-expired-holds.js';
import './transfers/expire-transfers.js';
export {};
