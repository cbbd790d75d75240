// Scanner interface and stream plumbing
export { BaseScanner, type Scan, type Scanner, type ScannerEvents, type ScannerKind, type ScannerStatus } from './scanner.js';
export { mergeScanners, MergedScanner, type MergeOptions } from './merge.js';
export { PushScanner } from './push-scanner.js';
export { RetryTimer, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
export { stripAimPrefix, symbologyFromAim } from './aim.js';

// Serial scanners
export { SerialScanner, type SerialScannerOptions, type SerialScannerStats } from './serial/serial-scanner.js';
export { ScanFramer, trimControls, type Terminator } from './serial/framer.js';
export { listSerialPorts, listFromSysfs, UDEVADM_MISSING, type SerialListing, type SerialPortInfo } from './serial/list.js';
export {
  defaultSerialPortFactory,
  DEFAULT_LINE,
  type SerialLineSettings,
  type SerialPortFactory,
  type SerialPortLike,
} from './serial/port.js';

// HID scanners
export {
  createNodeHidBackend,
  classifyHidDevice,
  matchDevices,
  HID_NATIVE_HELP,
  type HidBackend,
  type HidDeviceHandle,
  type HidDeviceInfo,
  type HidDriver,
  type HidSelector,
} from './hid/backend.js';
export {
  decodePosReport,
  PosAssembler,
  HID_POS_USAGE_PAGE,
  type PosLayout,
  type PosReport,
  type PosDecodeResult,
} from './hid/pos-decoder.js';
export { KeyboardReportDecoder, type KeyboardDecoderOptions } from './hid/keyboard-decoder.js';
export { LAYOUTS, LAYOUT_IDS, getLayout, type Layout, type LayoutId } from './hid/layouts.js';
export {
  HidScanner,
  HidPosScanner,
  HidKeyboardScanner,
  PosReportHandler,
  KeyboardReportHandler,
  type HidPosScannerOptions,
  type HidKeyboardScannerOptions,
  type KeyboardTerminator,
} from './hid/hid-scanner.js';

// Keyboard wedge (renderer); also importable alone as '@ticketgate/hardware/wedge'
export {
  WedgeDecoder,
  decodeWedge,
  wedgeScans,
  DEFAULT_WEDGE_OPTIONS,
  type WedgeKeyEvent,
  type WedgeOptions,
  type WedgeOutput,
} from './wedge/decoder.js';

// Turnstile outputs
export {
  SwitchedOutput,
  DEFAULT_PULSE_MS,
  MAX_PULSE_MS,
  type TurnstileOutput,
  type OutputState,
  type OutputEvents,
} from './outputs/output.js';
export {
  SerialBytesOutput,
  SerialRelayOutput,
  relayCommand,
  type SerialBytesOutputOptions,
  type SerialRelayOutputOptions,
} from './outputs/serial-output.js';
export {
  GpioOutput,
  nodeCommandRunner,
  GPIOD_MISSING,
  type CommandRunner,
  type CommandResult,
  type RunningCommand,
  type GpioOutputOptions,
} from './outputs/gpio.js';

// Passage sensing (a turnstile that confirms)
export { BasePassageSensor, type PassageSensor, type PassageEvents } from './passage/sensor.js';
export { SerialPassageSensor, type SerialPassageOptions } from './passage/serial-passage.js';
export { GpioPassageSensor, nodeLineSpawner, type GpioPassageOptions, type LineSpawner } from './passage/gpio-passage.js';
export { HidPassageSensor, type HidPassageOptions } from './passage/hid-passage.js';

// Configuration and factories
export {
  HardwareConfigSchema,
  ScannerConfigSchema,
  OutputConfigSchema,
  PassageConfigSchema,
  parseHardwareConfig,
  type HardwareConfig,
  type HardwareConfigInput,
  type ScannerConfig,
  type OutputConfig,
  type PassageConfig,
} from './config.js';
export { openScanners, openOutput, openPassageSensor, scannerDirections, startScanners, type HardwareDeps } from './factory.js';
