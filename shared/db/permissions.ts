// permissions: one document per feature, naming who is granted it.
//   { _id: "backdb", public: false, roles: ["admin"], openids: ["o_..."] }
// An operator grants a feature by adding a role (users.roles) or an openid here.
import { z } from 'zod';
import type { Database } from '../platform';
import { COLLECTIONS } from './collections';
import { readAll } from './db-helpers';
import { collection } from './typed-collection';

export const permissionDocSchema = z.object({
  _id: z.string(),
  public: z.boolean().default(false),
  roles: z.array(z.string()).default([]),
  openids: z.array(z.string()).default([]),
  description: z.string().optional(),
});
export type PermissionDoc = z.infer<typeof permissionDocSchema>;


export function permissionsCollection(db: Database) {
  const coll = () => collection(db, COLLECTIONS.permissions.name);
  return {
    /** The whole feature table (one row per feature), page by page: a grant past the first page still counts. */
    async all(): Promise<PermissionDoc[]> {
      const data = await readAll(coll());
      return data.flatMap((raw) => {
        const parsed = permissionDocSchema.safeParse(raw);
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}

export function featuresFor(permissions: readonly PermissionDoc[], who: { openid: string; roles: readonly string[] }): string[] {
  return permissions
    .filter((p) => p.public || p.openids.includes(who.openid) || p.roles.some((r) => who.roles.includes(r)))
    .map((p) => p._id)
    .sort();
}
