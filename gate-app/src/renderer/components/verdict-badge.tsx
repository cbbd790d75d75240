// process: renderer
import type { VerdictIcon, VerdictShape } from '@ticketgate/ui';

/** Badge outlines (viewBox 100×100): the shape alone tells the verdicts apart, whatever the colours look like. */
const SHAPES: Record<VerdictShape, string> = {
  circle: 'M50 4a46 46 0 1 0 0.01 0Z',
  octagon: 'M31 4h38l27 27v38L69 96H31L4 69V31Z',
  arrow: 'M4 22h56V4l36 46-36 46V78H4Z',
  square: 'M8 8h84v84H8Z',
  diamond: 'M50 2l48 48-48 48L2 50Z',
  triangle: 'M50 4l48 88H2Z',
};

/** Icon strokes drawn in the verdict's colour on the white badge. */
const ICONS: Record<VerdictIcon, string> = {
  check: 'M27 52l15 15 32-34',
  stop: 'M24 50h52',
  arrow: 'M22 50h40M50 36l14 14-14 14',
  clock: 'M50 26a24 24 0 1 0 0.01 0M50 34v17l11 8',
  cross: 'M33 33l34 34M67 33L33 67',
  card: 'M30 48h40v24H30ZM30 56h40M50 40v-6',
};

const LABEL: Record<VerdictShape, string> = {
  circle: 'circle',
  octagon: 'octagon',
  arrow: 'arrow',
  square: 'square',
  diamond: 'diamond',
  triangle: 'triangle',
};

export function VerdictBadge(props: { shape: VerdictShape; icon: VerdictIcon; color: string }) {
  return (
    <svg
      class="badge"
      viewBox="0 0 100 100"
      role="img"
      aria-label={`${LABEL[props.shape]} with ${props.icon}`}
      data-shape={props.shape}
      data-icon={props.icon}
    >
      <path d={SHAPES[props.shape]} fill="#ffffff" />
      <path d={ICONS[props.icon]} fill="none" stroke={props.color} stroke-width="10" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
