export type PillTone = 'ok' | 'warn' | 'bad' | 'off';

/** A state in words inside an outlined pill; the tone adds colour but the word carries the meaning. */
export function StatePill({ tone, text }: { tone: PillTone; text: string }) {
  return <span class={`pill pill-${tone}`}>{text}</span>;
}
