/**
 * Asks to confirm an action and, in the same dialog, why; `kept` says where the reason goes.
 * Null when the user cancels; an empty string when they gave no reason.
 */
export function confirmWithReason(question: string, kept: string): string | null {
  const answer = prompt(`${question}\n\nReason (optional, ${kept}):`, '')
  return answer === null ? null : answer.trim()
}

/**
 * Asks to confirm a deletion and, in the same dialog, why: the reason is kept with the record and
 * shown in Deleted. Null when the user cancels; an empty string when they gave no reason.
 */
export function confirmDeletion(question: string): string | null {
  return confirmWithReason(question, 'shown in Deleted')
}
