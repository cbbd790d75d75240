import { Screen } from '../../ui.js';
import { EventPicker } from '../parts/event-picker.js';

/** The live door view (admissions per minute, occupancy, invalid attempts, conflicts, rejected uploads). */
export function LiveView() {
  return (
    <Screen title="Live doors">
      <div class="toolbar">
        <EventPicker />
      </div>
    </Screen>
  );
}
