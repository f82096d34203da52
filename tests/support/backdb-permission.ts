// Grants the backdb feature the way README says (Collections: "Grant the backups feature to admins"): the user gets the admin
// role and the permissions document `backdb` lists that role. Written straight into the emulator's
// store of this process, so it costs no function call.
import type { DocumentStore } from '../../emulator/store/document-store';

export async function grantBackdb(store: DocumentStore, openid: string): Promise<void> {
  const { updated } = await store.update('users', { openid }, { $set: { roles: ['admin'] } }, false);
  if (updated !== 1) throw new Error(`cannot grant backdb to ${openid}: not registered`);
  if ((await store.find('permissions', { _id: 'backdb' })).length === 0) await store.insert('permissions', [{ _id: 'backdb', roles: ['admin'] }]);
}
