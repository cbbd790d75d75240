export { PtyPair } from './pty.js';
export { SerialScannerSimulator, type Chunking, type SimSendOptions } from './serial-scanner.js';
export { RelayBoardSimulator, type RelayFrame } from './relay-board.js';
export { FakeHidBackend } from './fake-hid.js';
export {
  POS_FAMILIES,
  POS_FIXTURES,
  buildAim64Reports,
  buildMicroscanReports,
  buildPosReports,
  report64,
  type PosFamilyId,
  type PosFixture,
  type PosScannerFamily,
} from './hid-fixtures.js';
export { encodeKeyboardReports, keyEvents, scannerBurst, humanTyping, type BurstOptions } from './keyboard.js';
export { SimulatedPassageSensor } from './passage.js';
