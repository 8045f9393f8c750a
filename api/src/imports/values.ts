/** `a, b; c` → `['a', 'b', 'c']`: how spreadsheets hold several labels in one cell. */
export function splitList(cell: string): string[] {
  return cell
    .split(/[,;|]/)
    .map((s) => s.trim())
    .filter(Boolean)
}
