// Phone numbers in one canonical form, so that uniqueness is checked on the number and not on how
// it was typed: `139 1234 5678`, `139-1234-5678`, `+86 139 1234 5678` and `0086 13912345678` are all
// `13912345678`. Mainland China numbers (+86) are stored as their national number (what WeChat's
// getPhoneNumber gives as purePhoneNumber); any other country's as E.164 (`+16502530000`). Parsed
// and validated by libphonenumber-js (Google's libphonenumber metadata), a number without a country
// code being read as a mainland one. Only the functions that take phone numbers (user, wechat)
// import this module, so the others' bundles do not carry libphonenumber's metadata.
import type { CountryCallingCode } from 'libphonenumber-js/min';
import { z } from 'zod';

type PhoneLib = typeof import('libphonenumber-js/min');
let lib: PhoneLib | undefined;
// Loaded on first use: its metadata is parsed when loaded, and most invocations never see a phone.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const phoneLib = (): PhoneLib => (lib ??= require('libphonenumber-js/min') as PhoneLib);

/** Digits with the separators people type: spaces, hyphens, dots, brackets; an optional leading +. */
const TYPED = /^\+?[0-9(][0-9 ().-]{3,29}$/;
const MAINLAND: CountryCallingCode = '86';

/** The canonical form of a typed phone number, or undefined when it is not a valid number. */
export function normalisePhone(typed: string): string | undefined {
  const text = typed.trim();
  if (!TYPED.test(text)) return undefined;
  const parsed = phoneLib().parsePhoneNumberFromString(text, 'CN');
  if (!parsed || !parsed.isValid()) return undefined;
  return parsed.countryCallingCode === MAINLAND ? parsed.nationalNumber : parsed.number;
}

/** A typed phone number, given in its canonical form so uniqueness holds on the number. */
export const phoneSchema = z.string().transform((typed, ctx) => {
  const phone = normalisePhone(typed);
  if (phone === undefined) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a phone number' });
  return phone ?? z.NEVER;
});
