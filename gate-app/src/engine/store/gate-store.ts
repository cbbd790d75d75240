// process: engine
import { CatalogRepo, type CatalogOptions } from './catalog-repo.js';
import { DeviceRepo } from './device-repo.js';
import { HallRepo } from './hall-repo.js';
import { KeyRepo } from './key-repo.js';
import { MeshRepo } from './mesh-repo.js';
import { openGateDatabase, type Db } from './open-database.js';
import { ScanRepo } from './scan-repo.js';
import { SyncStateRepo } from './sync-state-repo.js';

/** The gate's database and its tables' repositories, opened once per process. */
export class GateStore {
  readonly device: DeviceRepo;
  readonly catalog: CatalogRepo;
  readonly halls: HallRepo;
  readonly keys: KeyRepo;
  readonly mesh: MeshRepo;
  readonly scans: ScanRepo;
  readonly syncState: SyncStateRepo;

  private constructor(
    readonly db: Db,
    catalog: CatalogOptions,
  ) {
    this.device = new DeviceRepo(db);
    this.catalog = new CatalogRepo(db, catalog);
    this.halls = new HallRepo(db);
    this.keys = new KeyRepo(db);
    this.mesh = new MeshRepo(db);
    this.scans = new ScanRepo(db);
    this.syncState = new SyncStateRepo(db);
  }

  static open(dataDir: string, catalog: CatalogOptions = { holderNames: true }): GateStore {
    return new GateStore(openGateDatabase(dataDir), catalog);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
