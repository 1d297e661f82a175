export function Status({ value }: { value: string }) {
  return <span class={`badge s-${value.toLowerCase()}`} data-status={value}>{value}</span>;
}
