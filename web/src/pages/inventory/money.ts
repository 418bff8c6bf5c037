/** Amounts are minor units (cents) in the API; people type and read major units. */
export const formatMoney = (m: { amount: number; currency: string }) =>
  new Intl.NumberFormat('en', { style: 'currency', currency: m.currency }).format(m.amount / 100);

/** "12,990.50" → 1299050; null when it is not an amount. */
export function parseMajor(text: string): number | null {
  const clean = text.replace(/[\s,]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  return Math.round(Number(clean) * 100);
}
