// Storage security rules as CloudBase's console writes them: { "read": <rule>, "write": <rule> }
// where a rule is true, false, or an expression over `auth` (the signed-in user; null when none)
// and `resource` (the file: its openid is the uploader's). The project's rules file
// (storage.rules.json) gives a default and per-folder rules; the longest matching folder wins.
// Rules bind mini-program users only: the server side (SDK, console) may always read and write.
//
// Expressions understood: `resource.openid == auth.openid` (also `auth.uid`), `auth != null`,
// `auth == null`, true/false, joined with && and ||. Anything else is refused when the file is
// loaded, rather than evaluated wrongly.
import fs from 'node:fs';
import { z } from 'zod';
import { ownEntry } from '../lib/own-entry';

const ruleSchema = z.union([z.boolean(), z.string().min(1)]);
const folderRulesSchema = z.object({ read: ruleSchema, write: ruleSchema }).strict();
const rulesFileSchema = z.object({ default: folderRulesSchema, folders: z.record(z.string().regex(/^[^/].*\/$/, 'a folder ends with /'), folderRulesSchema).default({}) }).strict();

export type FolderRules = z.infer<typeof folderRulesSchema>;
export type StorageRulesConfig = z.infer<typeof rulesFileSchema>;
/** Who asks: a mini-program user (openid), or the server side, which rules do not bind. */
export type StorageCaller = { kind: 'server' } | { kind: 'user'; openid: string | null };

type Atom = (auth: { openid: string } | null, resourceOpenid: string) => boolean;

const ATOMS: Record<string, Atom> = {
  'resource.openid == auth.openid': (auth, owner) => auth !== null && owner === auth.openid,
  'resource.openid == auth.uid': (auth, owner) => auth !== null && owner === auth.openid,
  'auth.openid == resource.openid': (auth, owner) => auth !== null && owner === auth.openid,
  'auth.uid == resource.openid': (auth, owner) => auth !== null && owner === auth.openid,
  'auth != null': (auth) => auth !== null,
  'auth == null': (auth) => auth === null,
  true: () => true,
  false: () => false,
};

function compile(rule: boolean | string): Atom {
  if (typeof rule === 'boolean') return () => rule;
  const anyOf = rule.split('||').map((alt) =>
    alt.split('&&').map((part) => {
      const atom = ownEntry(ATOMS, part.trim().replace(/\s+/g, ' ').replace(/^\((.*)\)$/, '$1').trim());
      if (!atom) throw new Error(`storage rule expression not supported by the emulator: "${part.trim()}" (in "${rule}")`);
      return atom;
    }),
  );
  return (auth, owner) => anyOf.some((all) => all.every((atom) => atom(auth, owner)));
}

export class StorageRules {
  private readonly compiled: Array<{ folder: string; rules: FolderRules; read: Atom; write: Atom }>;

  constructor(readonly config: StorageRulesConfig) {
    const entries: Array<[string, FolderRules]> = [...Object.entries(config.folders), ['', config.default]];
    this.compiled = entries
      .map(([folder, rules]) => ({ folder, rules, read: compile(rules.read), write: compile(rules.write) }))
      .sort((a, b) => b.folder.length - a.folder.length);
  }

  static load(file: string): StorageRules {
    return new StorageRules(rulesFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8'))));
  }

  static parse(config: unknown): StorageRules {
    return new StorageRules(rulesFileSchema.parse(config));
  }

  /** The rules that govern a path: its longest matching folder's, else the default. */
  ruleFor(cloudPath: string): { folder: string; rules: FolderRules } {
    const hit = this.compiled.find((c) => cloudPath.startsWith(c.folder)) as (typeof this.compiled)[number];
    return { folder: hit.folder, rules: hit.rules };
  }

  /**
   * Whether the caller may read or write the file. For a write of a new file the resource is the
   * file being created, so its openid is the caller's own.
   */
  allows(caller: StorageCaller, op: 'read' | 'write', cloudPath: string, ownerOpenid: string | undefined): boolean {
    if (caller.kind === 'server') return true;
    const hit = this.compiled.find((c) => cloudPath.startsWith(c.folder)) as (typeof this.compiled)[number];
    const auth = caller.openid ? { openid: caller.openid } : null;
    const owner = ownerOpenid ?? caller.openid ?? '';
    return hit[op](auth, owner);
  }
}
