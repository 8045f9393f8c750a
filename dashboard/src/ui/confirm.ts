/**
 * Asks to confirm a deletion and, in the same dialog, why: the reason is kept with the record and
 * shown in Deleted. Null when the user cancels; an empty string when they gave no reason.
 */
export function confirmDeletion(question: string): string | null {
  const answer = prompt(`${question}\n\nReason (optional, shown in Deleted):`, '')
  return answer === null ? null : answer.trim()
}
