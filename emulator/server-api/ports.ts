// The port of the CloudBase server API service: the emulated database other services read.
import { port } from '../port-registry';
import type { DocumentStore } from '../store/document-store';

export const STORE = port<DocumentStore>('database.store');
