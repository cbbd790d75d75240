import { BasePassageSensor } from '../passage/sensor.js';

/** A passage sensor for tests and demos: silent unless `pass()` reports one passage. */
export class SimulatedPassageSensor extends BasePassageSensor {
  readonly kind = 'simulated';
  started = false;

  constructor(id = 'passage-sim') {
    super(id);
  }

  start(): Promise<void> {
    this.started = true;
    return Promise.resolve();
  }

  pass(): void {
    this.passed();
  }

  close(): Promise<void> {
    this.started = false;
    return Promise.resolve();
  }
}
