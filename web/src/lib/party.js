// party.js — what kind of party a code is: a person's GB 11643 ID number or a
// market entity's USCC (GB 32100). Only used to choose what to show; the
// server checks every code itself.
export function partyKind(code) {
  if (!code) return 'entity';
  if (/^[1-8]\d{5}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX]$/.test(code)) return 'person';
  return 'entity';
}

// mask(code) hides the middle of a person's ID number (6 + 4 kept).
export function maskId(code) {
  if (!code || code.length < 11) return code;
  return code.slice(0, 6) + '*'.repeat(code.length - 10) + code.slice(-4);
}
