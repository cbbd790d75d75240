import type { Seat } from '@ticketgate/ui/api';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SeatLayout } from '../seat-layout.js';

const CELL = 10; // grid pitch in CSS pixels at zoom 1
const SEAT = 8;

interface View {
  scale: number;
  x: number;
  y: number;
}

/**
 * The seat map on one canvas: thousands of seats in one pass of fillRect, so
 * drawing stays a few milliseconds even at 5,000 seats. Drag or swipe to pan,
 * wheel, pinch or the buttons to zoom, click or tap a seat. The canvas also
 * takes the keyboard (arrows move, Enter picks); the row list beside it is the
 * screen-reader way in.
 */
export function SeatMap({
  layout,
  colours,
  version,
  selected,
  mine,
  onPick,
}: {
  layout: SeatLayout;
  colours: Record<string, string>;
  /** Bumped when statuses change, to redraw. */
  version: number;
  selected: number;
  mine: number;
  onPick: (index: number) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useRef<View>({ scale: 1, x: 0, y: 0 });
  const [cursor, setCursor] = useState(-1);
  const [size, setSize] = useState({ w: 360, h: 300 });
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const dragged = useRef(0);

  const fit = () => {
    const scale = Math.min(size.w / (layout.width * CELL + CELL), size.h / (layout.height * CELL + CELL));
    view.current = { scale, x: (size.w - layout.width * CELL * scale) / 2, y: (size.h - layout.height * CELL * scale) / 2 };
  };

  const draw = () => {
    const c = canvas.current;
    if (!c) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const g = c.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, size.w, size.h);
    const { scale, x, y } = view.current;
    g.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * x, dpr * y);
    const seats = layout.seats;
    // Available seats by category colour, then every unavailable seat in one light grey.
    for (const cat of layout.categories) {
      g.fillStyle = colours[cat]!;
      for (let i = 0; i < seats.length; i++) {
        const s = seats[i]!;
        if (s.category === cat && s.status === 'AVAILABLE') g.fillRect(layout.col[i]! * CELL, layout.line[i]! * CELL, SEAT, SEAT);
      }
    }
    g.fillStyle = '#d0d0d0';
    for (let i = 0; i < seats.length; i++) {
      if (seats[i]!.status !== 'AVAILABLE' && i !== mine)
        g.fillRect(layout.col[i]! * CELL + 2, layout.line[i]! * CELL + 2, SEAT - 4, SEAT - 4);
    }
    const ring = (i: number, colour: string, w: number) => {
      if (i < 0) return;
      g.strokeStyle = colour;
      g.lineWidth = w / scale;
      g.strokeRect(layout.col[i]! * CELL - 1, layout.line[i]! * CELL - 1, SEAT + 2, SEAT + 2);
    };
    if (mine >= 0) {
      g.fillStyle = '#000000';
      g.fillRect(layout.col[mine]! * CELL, layout.line[mine]! * CELL, SEAT, SEAT);
    }
    ring(selected, '#000000', 3);
    ring(cursor, '#e8a400', 3);
    // Row labels once they are readable.
    if (scale * CELL >= 9) {
      g.fillStyle = '#333333';
      g.font = `${CELL * 0.8}px system-ui, sans-serif`;
      g.textBaseline = 'top';
      layout.rows.forEach((r, l) => g.fillText(r, -CELL * 2, l * CELL));
    }
  };

  useEffect(() => {
    const c = canvas.current!;
    const ro = new ResizeObserver(([entry]) => {
      const w = Math.round(entry!.contentRect.width);
      const h = Math.round(Math.min(Math.max(w * 0.75, 260), innerHeight * 0.6));
      setSize((s) => (s.w === w && s.h === h ? s : { w, h }));
    });
    ro.observe(c.parentElement!);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current!;
    const dpr = globalThis.devicePixelRatio || 1;
    c.width = size.w * dpr;
    c.height = size.h * dpr;
    fit();
    draw();
  }, [size.w, size.h, layout]);

  useEffect(draw, [version, selected, mine, cursor, colours]);

  const seatAt = (px: number, py: number): number => {
    const { scale, x, y } = view.current;
    const gx = (px - x) / scale;
    const gy = (py - y) / scale;
    return layout.at(Math.floor(gy / CELL), Math.floor(gx / CELL));
  };

  const zoom = (factor: number, cx = size.w / 2, cy = size.h / 2) => {
    const v = view.current;
    const min = Math.min(size.w / (layout.width * CELL), size.h / (layout.height * CELL)) * 0.8;
    const scale = Math.min(8, Math.max(min, v.scale * factor));
    const k = scale / v.scale;
    view.current = { scale, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k };
    draw();
  };

  const local = (e: PointerEvent | WheelEvent) => {
    const r = canvas.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const onPointerDown = (e: PointerEvent) => {
    canvas.current!.setPointerCapture(e.pointerId);
    pointers.current.set(e.pointerId, local(e));
    dragged.current = 0;
  };
  const onPointerMove = (e: PointerEvent) => {
    const prev = pointers.current.get(e.pointerId);
    if (!prev) return;
    const p = local(e);
    if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()];
      const before = Math.hypot(a!.x - b!.x, a!.y - b!.y);
      pointers.current.set(e.pointerId, p);
      const [c, d] = [...pointers.current.values()];
      const after = Math.hypot(c!.x - d!.x, c!.y - d!.y);
      if (before > 0) zoom(after / before, (c!.x + d!.x) / 2, (c!.y + d!.y) / 2);
      dragged.current += 10;
      return;
    }
    pointers.current.set(e.pointerId, p);
    const dx = p.x - prev.x;
    const dy = p.y - prev.y;
    dragged.current += Math.abs(dx) + Math.abs(dy);
    view.current = { ...view.current, x: view.current.x + dx, y: view.current.y + dy };
    draw();
  };
  const onPointerUp = (e: PointerEvent) => {
    const had = pointers.current.delete(e.pointerId);
    if (had && pointers.current.size === 0 && dragged.current < 6) {
      const p = local(e);
      const i = seatAt(p.x, p.y);
      if (i >= 0) {
        setCursor(i);
        onPick(i);
      }
    }
  };

  const onKey = (e: KeyboardEvent) => {
    const start = cursor >= 0 ? cursor : selected >= 0 ? selected : 0;
    let l = layout.line[start]!;
    let c = layout.col[start]!;
    const step: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (e.key in step) {
      e.preventDefault();
      const [dl, dc] = step[e.key]!;
      for (let n = 0; n < Math.max(layout.width, layout.height); n++) {
        l += dl;
        c += dc;
        const i = layout.at(l, c);
        if (i >= 0) {
          setCursor(i);
          return;
        }
        if (l < 0 || c < 0 || l >= layout.height || c >= layout.width) return;
      }
    } else if ((e.key === 'Enter' || e.key === ' ') && cursor >= 0) {
      e.preventDefault();
      onPick(cursor);
    } else if (e.key === '+' || e.key === '=') zoom(1.25);
    else if (e.key === '-') zoom(0.8);
  };

  const cursorSeat: Seat | undefined = layout.seats[cursor];
  return (
    <div class="seat-map">
      <div class="map-tools" role="group" aria-label="Zoom">
        <button type="button" onClick={() => zoom(1.5)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoom(1 / 1.5)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => (fit(), draw())}>
          Whole hall
        </button>
      </div>
      <div class="map-frame">
        <canvas
          ref={canvas}
          style={{ width: `${size.w}px`, height: `${size.h}px` }}
          tabIndex={0}
          role="application"
          aria-label={`Seat map, ${layout.seats.length} seats in ${layout.height} rows. Arrow keys move between seats, Enter chooses, plus and minus zoom. The list of rows below offers the same seats.`}
          aria-describedby="map-cursor"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={(e) => pointers.current.delete(e.pointerId)}
          onWheel={(e) => {
            e.preventDefault();
            const p = local(e);
            zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2, p.x, p.y);
          }}
          onKeyDown={onKey}
        />
      </div>
      <p id="map-cursor" class="muted" aria-live="polite">
        {cursorSeat
          ? `Row ${cursorSeat.row_number}, seat ${cursorSeat.seat_number}: ${cursorSeat.category}, ${cursor === mine ? 'held for you' : cursorSeat.status === 'AVAILABLE' ? 'available' : 'not available'}`
          : ''}
      </p>
    </div>
  );
}
