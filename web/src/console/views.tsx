import type { JSX } from 'preact';
import type { ConsoleRole } from './api.js';
import { CatalogView } from './views/catalog.js';
import { ConflictsView } from './views/conflicts.js';
import { GatesView } from './views/gates.js';
import { LiveView } from './views/live.js';
import { OverviewView } from './views/overview.js';
import { AuditView } from './views/admin/audit.js';
import { DisputesView } from './views/admin/disputes.js';
import { FraudView } from './views/admin/fraud.js';
import { RevenueView } from './views/admin/revenue.js';
import { StaffView } from './views/admin/staff.js';
import { SupportView } from './views/admin/support.js';

export interface ConsoleView {
  /** Under /console; `:name` segments become params. The server answers every /console path with the console page. */
  path: string;
  /** The page heading and, for views in the menu, the menu entry. */
  title: string;
  component: (params: Record<string, string>) => JSX.Element;
  /** Who may open it (the server checks each call again). */
  roles: readonly ConsoleRole[];
  /** Listed in the menu (views reached from another view leave it out). */
  nav?: boolean;
}

const OPS: readonly ConsoleRole[] = ['operator', 'admin'];
/** Only admins. */
export const ADMIN: readonly ConsoleRole[] = ['admin'];

/**
 * Every view of the operator console, in menu order: one row each. Add a row
 * (and its module under views/) to add a view; nothing else registers one.
 */
export const VIEWS: readonly ConsoleView[] = [
  { path: '/console', title: 'Overview', component: () => <OverviewView />, roles: OPS, nav: true },
  { path: '/console/catalog', title: 'Catalog', component: () => <CatalogView />, roles: OPS, nav: true },
  { path: '/console/gates', title: 'Gates', component: () => <GatesView />, roles: OPS, nav: true },
  { path: '/console/live', title: 'Live doors', component: () => <LiveView />, roles: OPS, nav: true },
  { path: '/console/conflicts', title: 'Conflicts', component: () => <ConflictsView />, roles: OPS, nav: true },
  // console-admin: admin and back-office rows go below this line.
  { path: '/console/disputes', title: 'Disputes', component: () => <DisputesView />, roles: OPS, nav: true },
  { path: '/console/fraud', title: 'Fraud flags', component: () => <FraudView />, roles: OPS, nav: true },
  { path: '/console/revenue', title: 'Revenue and reports', component: () => <RevenueView />, roles: OPS, nav: true },
  { path: '/console/support', title: 'Support', component: () => <SupportView />, roles: OPS, nav: true },
  { path: '/console/audit', title: 'Audit log', component: () => <AuditView />, roles: ADMIN, nav: true },
  { path: '/console/staff', title: 'Staff and venues', component: () => <StaffView />, roles: ADMIN, nav: true },
];
