// Argument checks. Every invalid argument is a RangeError that names it, so a caller's bug
// surfaces at the call site instead of as a NaN three screens later.

export function checkCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`)
  }
}

export function checkConfidence(confidence: number, name = 'confidence'): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`${name} must be strictly between 0 and 1, got ${confidence}`)
  }
}
