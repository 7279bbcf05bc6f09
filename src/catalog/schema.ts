// The shape of a catalogue file (catalog/*.yaml): one framework's principles or requirements as a tree
// of entries. docs/catalog.md describes it for people writing their own framework.
import { z } from 'zod';

export const ENTRY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A required field: the ECS paths that can carry it (present if any has a value). */
const field = z.union([
  z.array(z.string().min(1)).min(1),
  z
    .object({
      paths: z.array(z.string().min(1)).min(1),
      /** The seed says "if applicable" or "where available": reported, but never makes a status partial. */
      optional: z.boolean().default(false),
    })
    .strict(),
]);

/** Evidence that needs an order of events: `then` after one or more `after` for the same `by` values. */
const derive = z
  .object({
    after: z.string().min(1),
    then: z.string().min(1),
    by: z.array(z.string().min(1)).min(1),
    within: z.string().min(1),
  })
  .strict();

export interface EntryInput {
  id: string;
  title: string;
  tier?: string | undefined;
  principles?: string[] | undefined;
  text?: string | undefined;
  technologies?: string[] | undefined;
  selector?: string | undefined;
  all_events?: boolean | undefined;
  derive?: z.infer<typeof derive> | undefined;
  fields?: Record<string, z.infer<typeof field>> | undefined;
  items?: EntryInput[] | undefined;
}

const entry: z.ZodType<EntryInput> = z.lazy(() =>
  z
    .object({
      id: z.string().regex(ENTRY_ID, 'ids are letters, digits, ".", "-" and "_"'),
      title: z.string().min(1),
      tier: z.string().regex(/^[a-z0-9_-]+$/, 'tiers are lowercase words').optional(),
      principles: z.array(z.string()).optional(),
      text: z.string().optional(),
      technologies: z.array(z.string()).optional(),
      selector: z.string().min(1).optional(),
      all_events: z.boolean().optional(),
      derive: derive.optional(),
      fields: z.record(z.string().regex(/^[a-z0-9_]+$/, 'field names are snake_case'), field).optional(),
      items: z.array(entry).optional(),
    })
    .strict(),
);

export const catalogFileSchema = z
  .object({
    framework: z.object({ id: z.string().regex(ENTRY_ID), title: z.string().min(1), url: z.string().optional() }).strict(),
    kind: z.enum(['principle', 'requirement']),
    /** Fields this framework's own sources send that no built-in parser produces (e.g. from custom JSON). */
    extra_fields: z.array(z.string()).default([]),
    entries: z.array(entry).min(1),
  })
  .strict();

export type CatalogFile = z.infer<typeof catalogFileSchema>;
