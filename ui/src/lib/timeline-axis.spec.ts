import { describe, expect, it } from 'vitest';
import { axisLabels, AxisLabel } from './timeline-axis';
import { timeScale } from './timeline-scale';

/** The pixels each label covers, from 6 px per character (an 11 px font's digits and letters). */
function boxes(labels: AxisLabel[], trackPx: number) {
  return labels.map(({ left, text, align }) => {
    const x = (left / 100) * trackPx;
    const width = text.length * 6;
    const from = align === 'start' ? x : align === 'end' ? x - width : x - width / 2;
    return { text, from, to: from + width };
  });
}

function expectApart(labels: AxisLabel[], trackPx: number) {
  const b = boxes(labels, trackPx);
  expect(b.slice(1).filter((box, i) => b[i].to > box.from).map((box) => box.text)).toEqual([]);
  expect(b[0].from).toBeGreaterThanOrEqual(0);
  expect(b[b.length - 1].to).toBeLessThanOrEqual(trackPx);
}

describe('axisLabels', () => {
  const run = timeScale([[0, 100]], 0, 100, 200);

  it('takes as many ticks as the width holds: three on a phone, ten on a laptop, more on a wide screen', () => {
    const phone = axisLabels(run, 200);
    expect(phone.map((l) => l.text)).toEqual(['0 ms', '50 ms', '100 ms']);
    expectApart(phone, 200);
    const laptop = axisLabels(timeScale([[0, 100]], 0, 100, 1000), 1000);
    expect(laptop.map((l) => l.text)).toEqual(['0 ms', '10 ms', '20 ms', '30 ms', '40 ms', '50 ms', '60 ms', '70 ms', '80 ms', '90 ms', '100 ms']);
    expectApart(laptop, 1000);
    expect(axisLabels(timeScale([[0, 100]], 0, 100, 1600), 1600)).toHaveLength(21);
  });

  it('keeps the first and last labels inside the track', () => {
    expect(axisLabels(run, 200).map((l) => l.align)).toEqual(['start', 'center', 'end']);
  });

  it('gives a break its length, counts the ticks after it from its end, and leaves out a tick its label would cover', () => {
    const min = 60_000;
    const scale = timeScale([[0, 6], [9, 14], [9 * min + 58_014, 9 * min + 58_030]], 0, 9 * min + 58_030, 390);
    const labels = axisLabels(scale, 390);
    const gap = labels.find((l) => l.gap);
    expect(gap?.text).toBe('… 9 min 58 s …');
    expect(labels.filter((l) => l.gap)).toHaveLength(1);
    expect(labels.filter((l) => l.left > gap!.left).every((l) => l.text.startsWith('+'))).toBe(true);
    expect(labels.filter((l) => l.left < gap!.left).every((l) => !l.text.startsWith('+'))).toBe(true);
    expectApart(labels, 390);
  });

  it('labels work after a break that is too short for a tick with how long it lasted, at its end', () => {
    const scale = timeScale([[0, 3000], [63_000, 63_900]], 0, 63_900, 390);
    const labels = axisLabels(scale, 390);
    expect(labels.map((l) => l.text)).toEqual(['0 ms', '2 s', '… 1 min 0 s …', '+900 ms']);
    expect(labels[labels.length - 1]).toMatchObject({ left: 100, align: 'end' });
    expectApart(labels, 390);
  });

  it('labels a run too short for a second tick at its end, so that even a phone shows its scale', () => {
    // 4 ms on 150 px: a tick wants 80 px, so the step is 5 ms and no second tick falls inside the run.
    const labels = axisLabels(timeScale([[0, 4]], 0, 4, 150), 150);
    expect(labels.map((l) => l.text)).toEqual(['0 ms', '4 ms']);
    expectApart(labels, 150);
  });

  it('draws nothing before the track has a width', () => {
    expect(axisLabels(run, 0)).toEqual([]);
  });
});
