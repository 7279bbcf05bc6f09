// The requirement and principle IDs of CONTRACT.md section 6, as data shared by the parsers (which tag
// events with what they evidence) and, later, the catalogue. A test keeps this list equal to the contract.

export const PRINCIPLE_IDS = [
  'P1a', 'P1b', 'P1c', 'P1d', 'P1e', 'P1f',
  'P2a', 'P2b', 'P2c',
  'P3a', 'P3b', 'P3c', 'P3e', 'P3f', 'P3g',
  'P4a', 'P4b', 'P4c',
  'P5a', 'P5b',
  'P6',
  'P7a',
] as const;

export const REQUIREMENT_IDS = [
  'B1.1', 'B1.2', 'B1.3', 'B1.4', 'B1.5', 'B1.6', 'B1.7', 'B1.8', 'B1.9',
  'B1.10.1', 'B1.10.2', 'B1.10.3', 'B1.10.4',
  'B2.1', 'B2.2',
  'B3', 'B4',
  'B5.1', 'B5.2', 'B5.3', 'B5.4.1', 'B5.4.2', 'B5.4.3', 'B5.4.4',
  'B6.1', 'B6.2', 'B6.3', 'B6.4',
  'B7.1', 'B7.2',
  'E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8.1', 'E8.2',
] as const;

export type PrincipleId = (typeof PRINCIPLE_IDS)[number];
export type RequirementId = (typeof REQUIREMENT_IDS)[number];

const PRINCIPLES: ReadonlySet<string> = new Set(PRINCIPLE_IDS);
const REQUIREMENTS: ReadonlySet<string> = new Set(REQUIREMENT_IDS);

export function isPrincipleId(id: string): id is PrincipleId {
  return PRINCIPLES.has(id);
}
export function isRequirementId(id: string): id is RequirementId {
  return REQUIREMENTS.has(id);
}
