// Field formats shared by the APIs.
import { z } from 'zod';

export const openidSchema = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, 'must be an openid');
export const nicknameSchema = z.string().trim().min(1, 'must be 1-32 characters').max(32, 'must be 1-32 characters');
export const httpUrlSchema = z.string().trim().max(1024).url().refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL');
export const phoneSchema = z.string().trim().regex(/^\+?\d{5,20}$/, 'must be a phone number (digits)');
export const docIdSchema = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, 'must be an id');
